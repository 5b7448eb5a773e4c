### Hotline: every text a Telegram user sees from the Hotline runtime (Spanish).
###
### Register: «usted» in every text sent to customers (customer-*, branding-line);
### «tú» in every text for the support team. Neutral Spanish, no regionalisms.
### Keep the message ids and variables identical to locales/en/hotline.ftl.

## Team notices posted in a customer's topic.

notice-not-delivered-blocked = ⚠️ No entregado: el cliente ha bloqueado el bot.
notice-not-delivered-deactivated = ⚠️ No entregado: el cliente ha eliminado su cuenta de Telegram.
notice-not-delivered-not-started = ⚠️ No entregado: el cliente no ha iniciado el bot.
notice-not-delivered-too-long = ⚠️ No entregado: el mensaje es demasiado largo para Telegram.
notice-not-delivered-other = ⚠️ No entregado: Telegram lo ha rechazado ({ $error }).
notice-not-relayed = ⚠️ No se ha podido mostrar aquí un mensaje del cliente: { $error }.
notice-edit-not-mirrored = ⚠️ La edición no ha llegado al cliente: { $error }.
notice-orphan-topic = ⚠️ Este tema es un duplicado del tema de { $name }: la respuesta de Telegram se perdió mientras se creaba. Tu mensaje se entregó al cliente. Continúa, por favor, en el tema del cliente: { $link }
notice-unknown-topic = ⚠️ Este tema no está vinculado a ningún cliente: los mensajes que se escriben aquí no se entregan a nadie.
notice-retracted = 🗑 Retirado: se ha eliminado la copia del cliente.
notice-not-retracted = ⚠️ No se ha podido retirar el mensaje: { $error } (Telegram solo permite eliminarlo durante las primeras 48 horas).
notice-del-needs-reply = ℹ️ Para retirar un mensaje que le enviaste al cliente, responde a ese mensaje con /del.
notice-closed-by = ⬛ Cerrado por { $name }.
notice-autoclosed =
    ⬛ Cerrado automáticamente: el cliente no ha escrito en { $hours ->
        [one] { $hours } hora
       *[other] { $hours } horas
    }.
notice-banned = 🚫 Se ha bloqueado a { $name }: sus mensajes ya no se reenvían. Envía /unban para deshacerlo.
notice-already-banned = 🚫 Este cliente ya está bloqueado.
notice-unbanned = ✅ Se ha desbloqueado a { $name }: sus mensajes vuelven a reenviarse.
notice-not-banned = ℹ️ Este cliente no está bloqueado.
notice-start-payload = ▶️ El cliente ha llegado a través de un enlace con el parámetro: { $payload }
notice-unknown-command = ❔ Comando desconocido: { $command }. Envía /help para ver lo que puedes hacer aquí.

## Commands refused because of who sent them.

refused-observer = 👁 Aquí tienes el rol de observador: puedes leer los temas, pero tus comandos no se ejecutan y tus mensajes no se entregan.
refused-needs-supervisor = ⛔ { $command } es solo para supervisores y administradores de este servicio de soporte.
refused-needs-admin = ⛔ { $command } es solo para administradores de este servicio de soporte.
refused-anonymous = 🕶 Estás escribiendo de forma anónima en nombre del grupo, así que Hotline no puede saber quién eres: no se ha entregado ni ejecutado nada. Desactiva «Permanecer anónimo» en tus permisos de administrador para responder a los clientes y usar comandos.

## The customer card (/info), one line per message.

card-header = 👤 Ficha del cliente
card-name = Nombre: { $name }
card-username = Nombre de usuario: { $username }
card-id = ID: { $id }
card-language = Idioma: { $language }
card-phone = Teléfono: { $phone }
card-first-contact = Primer contacto: { $date }
card-start-payload = Parámetro de inicio: { $payload }
card-dialogs = Conversaciones: { $count }
card-tags = Etiquetas: { $tags }
card-tags-none = Etiquetas: ninguna
card-private-header = 👤 Ficha del cliente del tema «{ $topic }»
card-sent-privately =
    🔒 Los datos del cliente están ocultos aquí (HIDE_INFO). La ficha se ha enviado en privado a { $count ->
        [one] { $count } miembro autorizado
       *[other] { $count } miembros autorizados
    } a verla.
card-not-sent = 🔒 Los datos del cliente están ocultos aquí (HIDE_INFO) y ningún miembro autorizado ha podido recibir la ficha en privado: primero deben iniciar el bot de configuración.

## /help, built from lines.

help-header = Comandos en este tema — tu rol: { $role }
help-close = /close — cerrar la conversación ⬛
help-hold = /hold — marcar como pendiente del equipo 🟪
help-wait = /wait — marcar como respondida, a la espera del cliente 🟨
help-info = /info — la ficha del cliente
help-ban = /ban — dejar de reenviar los mensajes de este cliente
help-unban = /unban — volver a reenviar los mensajes de este cliente
help-del = /del — como respuesta a un mensaje tuyo: retirarlo del chat del cliente
help-comment = «/ texto» (barra y espacio) — un comentario interno, nunca se entrega
help-answer = Cualquier otro mensaje que escribas aquí se entrega al cliente.
help-answer-reply-only = Solo se entregan las respuestas a los mensajes del cliente (REPLY_ONLY); todo lo demás se queda aquí como comentario.
help-observer = Puedes leer este tema; tus mensajes se quedan aquí como comentarios.
role-admin = administrador
role-supervisor = supervisor
role-operator = operador
role-observer = observador

## Sent to the customer in the frontend bot's private chat.

customer-not-delivered = ⚠️ Lo sentimos, no hemos podido entregar su mensaje al equipo de soporte. Vuelva a intentarlo o envíelo de otra forma.
customer-restricted = ⚠️ Su mensaje no se ha entregado: contiene palabras que este chat de soporte no admite.
branding-line = Soporte con tecnología de Hotline — { $link }
branding-line-plain = Soporte con tecnología de Hotline

## Commands in General, and where a command works.

general-help-header = Comandos del equipo en General — tu rol: { $role }
general-help-help = /help — esta lista
general-help-mark = /mark — todas las etiquetas y cuántos temas tiene cada una; /mark NOMBRE — una etiqueta y sus temas
general-help-mark-setup =
    /mark new NOMBRE — crear una etiqueta (primero una letra latina, luego letras, dígitos, - y _)
    /mark NOMBRE name NUEVO — cambiarle el nombre
    /mark NOMBRE ticker TEXTO — mostrar un texto corto o un emoji al final del título de sus temas (ticker CLEAR lo quita)
    /mark NOMBRE after A,B — al poner NOMBRE a un tema se le quitan A y B, para embudos (after CLEAR lo anula)
    /mark del NOMBRE — borrarla de todos los temas
general-help-topics = Los comandos para un cliente (/close, /info, /ban, …) funcionan en el tema de ese cliente: envía /help allí.
general-help-observer = Puedes leer aquí; tus comandos no se ejecutan.
help-help = /help — esta lista
help-mark = /mark — las etiquetas de este tema; /mark NOMBRE — añadir una; /mark del NOMBRE — quitar una
help-general = Los comandos del equipo (/mark, la configuración de etiquetas, /export) funcionan en General: envía /help allí.
where-topic-only = ↪️ { $command } funciona en el tema de un cliente, no en General.
where-general-only = ↪️ { $command } funciona en General, no en el tema de un cliente.

## Tags (/mark).

tag-bad-name = ❌ «{ $tag }» no puede ser el nombre de una etiqueta: empieza por una letra latina, seguida de letras, dígitos, - y _, con 32 caracteres como máximo.
tag-reserved-name = ❌ «{ $tag }» es una palabra que usa el propio /mark; elige otro nombre.
tag-bad-ticker = ❌ Un ticker es un texto corto o un emoji: 12 caracteres como máximo, en una línea, sin [ ni ].
tag-exists = ❌ Ya existe la etiqueta { $tag }.
tag-unknown = ❌ No existe la etiqueta «{ $tag }». Etiquetas: { $tags }
tag-unknown-none = ❌ No existe la etiqueta «{ $tag }» y todavía no hay ninguna: los supervisores y administradores las crean en General con /mark new NOMBRE.
tag-created = 🏷 Etiqueta { $tag } creada. Para ponérsela a un tema, envía allí /mark { $tag }.
tag-renamed = 🏷 La etiqueta ahora se llama { $tag }.
tag-ticker-set = 🏷 Los temas con { $tag } ahora muestran [{ $ticker }] al final del título.
tag-ticker-cleared = 🏷 Los temas con { $tag } ya no muestran ticker.
tag-after-set = 🏷 Al poner { $tag } a un tema, ahora se le quitan: { $tags }.
tag-after-cleared = 🏷 Poner { $tag } a un tema ya no le quita otras etiquetas.
tag-deleted = 🗑 Etiqueta { $tag } borrada. { $count ->
        [0] Ningún tema la tenía.
        [one] La tenía { $count } tema.
       *[other] La tenían { $count } temas.
    }
tags-none = 🏷 Todavía no hay etiquetas.
tags-none-setup = 🏷 Todavía no hay etiquetas. Crea una: /mark new NOMBRE
tags-header = 🏷 Etiquetas:
tags-line = { $tag }{ $suffix } — { $count ->
        [one] { $count } tema
       *[other] { $count } temas
    }
tag-shown = 🏷 { $tag }{ $suffix } — { $count ->
        [0] ningún tema todavía
        [one] { $count } tema
       *[other] { $count } temas
    }
tag-shown-after = Al ponerla se quitan del tema: { $tags }
tag-shown-topics = Últimos temas: { $topics }
tag-usage = ❔ Formas de /mark: /mark · /mark NOMBRE · /mark new NOMBRE · /mark NOMBRE name NUEVO · /mark NOMBRE ticker TEXTO|CLEAR · /mark NOMBRE after A,B|CLEAR · /mark NOMBRE sends PLANTILLA|CLEAR · /mark del NOMBRE
topic-tags = 🏷 Etiquetas de este tema: { $tags }
topic-tags-none = 🏷 Este tema no tiene etiquetas. Añade una: /mark NOMBRE
topic-tag-added = 🏷 Etiqueta { $tag } añadida.
topic-tag-added-removed = 🏷 Etiqueta { $tag } añadida; quitadas: { $tags }.
topic-tag-already = 🏷 Este tema ya tiene { $tag }.
topic-tag-removed = 🏷 Etiqueta { $tag } quitada.
topic-tag-absent = 🏷 Este tema no tiene { $tag }.

## Customer export (/export).

general-help-export = /export — todos los clientes en un archivo CSV y otro XLSX; /export ETIQUETA — solo los que la tienen
export-columns = ID,Nombre,Apellidos,Usuario,Idioma,Teléfono,Primer contacto,Último contacto,Etiquetas,Conversaciones,Estado
export-status-waiting = esperando al equipo
export-status-answered = respondido
export-status-closed = cerrado
export-status-none = sin conversación
export-status-unreachable = inaccesible
export-caption = 📤 Clientes: { $count }
export-caption-tag = 📤 Clientes con { $tag }: { $count }
export-truncated = ⚠️ Solo se incluyen los primeros { $count } clientes: una exportación no admite más.
export-hidden = 🔒 Los datos de los clientes están ocultos en este grupo (HIDE_INFO), así que aquí no se publica ninguna exportación.

## Opening a dialog from General (/new).

general-help-new = /new @usuario o /new ID — abrir el tema de un cliente para escribirle primero (debe haber iniciado el bot)
new-usage = ❔ /new @usuario o /new ID; añade i y el número de la conexión (i7) si varios bots comparten este grupo.
new-never-started = ❌ { $who } no ha iniciado @{ $bot }: un bot no puede escribir primero a quien nunca lo ha iniciado. No se ha creado nada.
new-unreachable = ❌ { $name } bloqueó @{ $bot } o eliminó su cuenta: no le llegaría nada. No se ha creado nada.
new-other-connection = ❌ No hay ninguna conexión { $connection } en este grupo.
new-open = 💬 { $name } ya tiene un tema abierto: { $link }
new-opened = 🆕 Hay un tema abierto para { $name }: escribe allí y le llegará.
new-reopened = 🆕 El tema de { $name } está abierto de nuevo: { $link }

## Templates: /template in General, /send NAME in a topic
template-usage = ❔ Plantillas: /template — la lista · /template new NOMBRE — como respuesta a un mensaje, guarda ese mensaje; sin respuesta, guarda los mensajes que envíes a continuación, hasta /template save (o /template cancel) · /template NOMBRE — la muestra · /template NOMBRE name NUEVO · /template del NOMBRE. En el tema de un cliente, /send NOMBRE la envía.
template-list = 📄 Plantillas: { $templates }
template-none = 📄 Aún no hay plantillas. Guarda una en General: /template new NOMBRE como respuesta a un mensaje.
template-bad-name = ❌ «{ $name }» no puede ser el nombre de una plantilla: empieza por una letra latina, seguida de letras, dígitos, - y _, como mucho 32 caracteres.
template-exists = ❌ Ya existe una plantilla llamada { $name }.
template-unknown = ❌ No existe la plantilla «{ $name }». Plantillas: { $templates }
template-unknown-none = ❌ No existe la plantilla «{ $name }» y todavía no hay ninguna: los supervisores y administradores las guardan en General con /template new NOMBRE.
template-saved = 📄 Plantilla { $name } guardada ({ $count ->
        [one] un mensaje
       *[other] { $count } mensajes
    }). En el tema de un cliente: /send { $name }
template-recording = ⏺ Grabando la plantilla { $name }: envía aquí sus mensajes (texto, multimedia, álbumes) y luego /template save, o /template cancel.
template-not-recording = ❔ No estás grabando ninguna plantilla. Empieza con /template new NOMBRE.
template-nothing-yet = ❔ Todavía no hay nada grabado: envía primero los mensajes de { $name } y luego /template save.
template-cancelled = ⏹ Grabación de { $name } cancelada; no se guardó nada.
template-unsupported = ❌ Este mensaje no puede formar parte de una plantilla: sí pueden el texto, la multimedia, los álbumes, las ubicaciones, los contactos y los dados; las encuestas, los juegos y los mensajes de servicio, no.
template-too-long = ❌ Una plantilla admite como mucho { $max } mensajes y esta ya está llena: envía /template save para guardarla.
template-renamed = 📄 La plantilla ahora se llama { $name }.
template-deleted = 🗑 Plantilla { $name } eliminada.
send-usage = ❔ /send NOMBRE envía una plantilla guardada a este cliente. Plantillas: { $templates }
send-usage-none = ❔ /send NOMBRE envía una plantilla guardada a este cliente, pero todavía no hay plantillas.
tag-sends-set = 🏷 Ahora, al dar { $tag } a un tema, el cliente recibe la plantilla { $template }.
tag-sends-cleared = 🏷 { $tag } ya no envía ninguna plantilla.
tag-shown-sends = Envía la plantilla: { $template }
help-send = /send NOMBRE — enviar al cliente una plantilla guardada
general-help-template = /template — guardar, ver, renombrar y eliminar plantillas

## Broadcasts: /send in General
general-help-send = /send AUDIENCIA [PLANTILLA] — un envío masivo: test, all, tag:NOMBRE o ids de usuario; como respuesta al mensaje que enviar o con una plantilla
bc-usage = ❔ /send AUDIENCIA [PLANTILLA], como respuesta al mensaje que quieres enviar o con el nombre de una plantilla. AUDIENCIA: test (tú), all, tag:NOMBRE o ids de usuario (1,2,3). Para un archivo de texto o CSV con ids, adjúntalo con /send [PLANTILLA] como pie.
bc-bad-audience = ❌ «{ $word }» no es una audiencia: usa test, all, tag:NOMBRE o ids de usuario.
bc-too-many = ❌ Un envío masivo llega como mucho a { $max } personas.
bc-needs-content = ❔ ¿Qué hay que enviar? Manda el comando como respuesta al mensaje o indica una plantilla después de la audiencia.
bc-file-bad-lines = ❌ Algunas líneas del archivo no son ids de usuario (líneas { $lines }). Cada línea empieza por un id; una línea de encabezado está bien. No se ha iniciado nada.
bc-file-empty = ❌ El archivo no contiene ids de usuario. No se ha iniciado nada.
bc-file-unreadable = ❌ No se pudo leer el archivo ({ $error }). No se ha iniciado nada.
bc-test-not-started = ❌ Para probar un envío contigo, inicia primero @{ $bot }: un bot solo puede escribir a quien lo ha iniciado.
bc-empty = ❌ No hay a quién enviar: en { $audience } no hay nadie a quien se pueda llegar.
bc-preview = 📣 Envío #{ $id } a { $audience }: { $count ->
        [one] una persona
       *[other] { $count } personas
    }. Contenido: { $content }.
bc-content-template = la plantilla { $template } ({ $count ->
        [one] un mensaje
       *[other] { $count } mensajes
    })
bc-content-message = el mensaje respondido
bc-quota = Plan gratuito: quedan { $left } de { $limit } mensajes este mes.
bc-quota-cut = Este mes solo se pueden enviar { $left }; los otros { $cut } figurarán como no enviados.
bc-quota-none = Los { $limit } mensajes del plan gratuito de este mes están agotados: no se puede enviar nada hasta el mes que viene.
bc-confirm = Pulsa Iniciar para enviarlo, o Cancelar.
bc-button-start = ▶️ Iniciar
bc-button-cancel = ✖️ Cancelar
bc-button-pause = ⏸ Pausar
bc-button-resume = ▶️ Reanudar
bc-state-draft = sin iniciar
bc-state-running = enviando
bc-state-paused = en pausa
bc-state-cancelled = cancelado
bc-state-done = terminado
bc-progress = 📣 Envío #{ $id } a { $audience } — { $state }
    Enviados: { $sent } · fallidos: { $failed } · pendientes: { $left }
bc-rate = { $rate } por segundo, faltan unos { $eta }
bc-not-sent = Sin enviar: { $unsent } (por encima de la cuota del plan, cancelados o interrumpidos por un reinicio).
bc-report-caption = 📣 Envío #{ $id }: { $sent } enviados, { $failed } fallidos, { $unsent } sin enviar.
bc-col-user = id de usuario
bc-col-name = nombre
bc-col-username = usuario
bc-col-status = estado
bc-col-error = error
bc-status-pending = en espera
bc-status-sending = enviándose
bc-status-sent = enviado
bc-status-failed = fallido
bc-status-unknown = interrumpido: puede no haber llegado
bc-status-over-quota = sin enviar: por encima de la cuota del plan
bc-status-cancelled = sin enviar: cancelado
bc-answer-started = Iniciado.
bc-answer-paused = En pausa.
bc-answer-resumed = Reanudado.
bc-answer-cancelled = Cancelado.
bc-answer-stale = Este envío ya está { $state }.
bc-answer-not-here = Este botón no corresponde a este mensaje.
notice-not-delivered-window = ⚠️ No entregado: a través de una cuenta de Telegram Business el equipo solo puede responder en las 24 horas siguientes al último mensaje del cliente. Envíalo de nuevo cuando vuelva a escribir.
notice-not-delivered-no-right = ⚠️ No entregado: la cuenta de empresa no le permite esto al bot (Telegram → Ajustes → Telegram Business → Chatbots).
notice-not-delivered-disconnected = ⚠️ No entregado: la cuenta de empresa ha desconectado el bot. Vuelve a conectarlo en Telegram → Ajustes → Telegram Business → Chatbots.
notice-not-delivered-not-recipient = ⚠️ No entregado: la cuenta de empresa no deja entrar al bot en este chat (revisa los chats elegidos en Telegram → Ajustes → Telegram Business → Chatbots).
notice-not-relayed-kind = ⚠️ El cliente ha enviado algo que no se puede mostrar a través de una cuenta de Telegram Business ({ $kind }). Abre el chat en la app de Telegram de la cuenta para verlo.
notice-deleted-in-chat = 🗑 Este mensaje se ha eliminado del chat con el cliente.
notice-owner-wrote = 👤 { $account } (desde la app de Telegram):
write-first-refused = ⛔ Una cuenta de Telegram Business no puede escribir primero: Telegram solo le permite responder a quien le haya escrito en las últimas 24 horas. La conversación la empieza el cliente; respóndele en su tema.
alert-business-disabled = ⚠️ { $account } ha desconectado a @{ $bot } en Telegram (Ajustes → Telegram Business → Chatbots). Los mensajes a la cuenta no llegan al equipo hasta que se vuelva a conectar el bot.
alert-business-enabled = ✅ { $account } ha vuelto a conectar a @{ $bot }. Permitido: { $rights }
alert-business-rights = ℹ️ { $account } ha cambiado lo que puede hacer @{ $bot }. Ahora está permitido: { $rights }
alert-business-right-reply = responder a mensajes
alert-business-right-read = marcar mensajes como leídos
alert-business-right-delete-sent = eliminar sus propios mensajes
alert-business-right-delete-all = eliminar todos los mensajes
alert-business-rights-none = nada
alert-business-no-reply = Sin «responder a mensajes» el equipo no puede contestar a los clientes
