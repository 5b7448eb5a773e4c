### Hotline: the setup bot (Spanish). Every screen, button and answer of the admin's chat
### with the instance's setup bot, plus the two texts the frontend bot shows its admin
### while the backend group is being linked.
###
### Register: «tú», as Telegram's own interface. Neutral Spanish, no regionalisms.
### Keep untranslated what admins type or see elsewhere exactly: commands, parameter names,
### on/off/OFF, colour names, HIDE_INFO/LEAVE_CLOSED options, webhook events, @BotFather
### and its menus (BotFather speaks English only).
### Keep the message ids and variables identical to locales/en/setup.ftl.
###
### Buttons are short (Telegram cuts long button labels). Texts are plain text: no HTML.

## The main screen (/start) and the language.

setup-start =
    👋 Hotline convierte un bot de Telegram en un servicio de soporte para tu equipo: cada cliente tiene su propio tema en tu grupo, y tu equipo le responde ahí mismo.

    { $count ->
        [0] Todavía no tienes conexiones. Pulsa «Nueva conexión» para conectar tu bot.
        [one] Tu conexión:
       *[other] Tus conexiones ({ $count }):
    }
setup-help =
    /start — tus conexiones y una nueva
    /language — el idioma de este chat
    /cancel — detener lo que estás haciendo
button-new-connection = ➕ Nueva conexión
button-all-connections = 🗂 Todas las conexiones
button-language = 🌐 Idioma
button-back = ⬅️ Atrás
button-cancel = ✖️ Cancelar
setup-language-choose = 🌐 Elige el idioma de este chat:
setup-language-set = ✅ A partir de ahora te hablaré en español.
setup-cancelled = ✖️ Cancelado. No se ha cambiado nada.
setup-unexpected = 🤔 No esperaba un mensaje aquí. Envía /start para ver tus conexiones.

## Buttons pressed by someone who may not, or that no longer apply.

setup-not-yours = ⛔ Esta conexión no es tuya: solo sus administradores pueden cambiarla.
setup-gone = Esta conexión ya no existe.
setup-stale = Este botón ya no es válido. Envía /start.
setup-superadmin-only = ⛔ Solo el responsable de esta instancia de Hotline puede hacer esto.

## A new connection: the frontend.

setup-new-type =
    ¿A quién escribirán tus clientes?

    🤖 A un bot: lo creas en @BotFather y me das su token.
    👤 A una cuenta de Telegram: la tuya o una creada para el soporte.
button-connect-bot = 🤖 Conectar un bot
button-connect-account = 👤 Conectar una cuenta
setup-account-kinds =
    👤 ¿A qué cuenta escribirán tus clientes?

    💼 Telegram Business: tu propia cuenta, con Telegram Premium. Un bot tuyo atiende sus chats en nombre de la cuenta, y el equipo responde a través de él como la cuenta.
    📱 Cualquier cuenta de Telegram (con código QR o número de teléfono): todavía no está disponible en esta instancia.
button-connect-business = 💼 Telegram Business
setup-ask-token =
    🔑 Envíame el token de tu bot.

    Crea un bot en @BotFather con /newbot (o abre /mybots → tu bot → API Token) y pega aquí el token. Tiene este aspecto: 123456789:AAH4f…

    Usa un bot creado solo para el soporte: Hotline lee todos los mensajes que recibe.
setup-token-format = ⚠️ Eso no es un token de bot. Un token tiene este aspecto: 123456789:AAH4f… — cópialo de @BotFather y vuelve a enviarlo.
setup-token-rejected = ⚠️ Telegram ha rechazado este token: es incorrecto o se ha revocado. Copia el token actual de @BotFather (/mybots → tu bot → API Token) y vuelve a enviarlo.
setup-token-taken = ⚠️ @{ $bot } ya está conectado (conexión { $id }). Ábrela desde /start o envía el token de otro bot.
setup-token-no-groups = ⚠️ @{ $bot } no se puede añadir a grupos. En @BotFather, abre /mybots → @{ $bot } → Bot Settings → Allow Groups, actívalo y vuelve a enviar el token.
setup-token-own = ⚠️ Ese es el token de este mismo bot de configuración. Envía el token del bot al que escribirán tus clientes.
setup-token-linking = ⚠️ Otra persona está conectando a @{ $bot } ahora mismo. Pídele que termine o cancele y vuelve a enviar el token.
setup-telegram-error = ⚠️ Telegram no ha respondido ({ $error }). Vuelve a intentarlo dentro de un minuto.
setup-token-deleted = 🔐 He eliminado tu mensaje con el token para que no se quede en este chat.

## A new connection: the backend group.

setup-link-group =
    ✅ Bot @{ $bot } aceptado.

    Ahora vincula el grupo de trabajo: un supergrupo con los temas activados, donde responderá tu equipo. @{ $bot } debe ser administrador del grupo con permisos para gestionar temas, eliminar mensajes, fijar mensajes y bloquear usuarios.

    Lo más fácil: pulsa «Elegir el grupo» y luego «Iniciar» en @{ $bot }. Te mostrará un botón para elegir el grupo y se unirá a él con los permisos que necesita.
    O pulsa «Añadir a un grupo» y elige el grupo en Telegram.
button-pick-group = 👥 Elegir el grupo
button-add-to-group = ➕ Añadir a un grupo
setup-picker-prompt = 👇 Pulsa el botón de abajo y elige el grupo con temas para el servicio de soporte. Me uniré a él como administrador con los permisos que necesito.
button-picker = 👥 Elegir el grupo
setup-picker-received = ✅ Recibido. El bot de configuración @{ $setup } te dirá qué hacer a continuación.
setup-group-not-forum = ⚠️ «{ $group }» no tiene los temas activados. Actívalos en la configuración del grupo y vuelve a elegirlo.
setup-group-not-found = ⚠️ @{ $bot } no puede ver ese grupo. Añádelo al grupo como administrador y vuelve a elegir el grupo.
setup-group-not-admin = ⚠️ @{ $bot } está en «{ $group }», pero no es administrador. Hazlo administrador con permisos para gestionar temas, eliminar mensajes, fijar mensajes y bloquear usuarios, y vuelve a elegir el grupo.
setup-group-missing-rights = ⚠️ @{ $bot } es administrador de «{ $group }», pero le faltan estos permisos: { $rights }. Concédeselos en la configuración de administradores del grupo y vuelve a elegir el grupo.
setup-group-no-ban = ℹ️ @{ $bot } no puede bloquear usuarios en «{ $group }». Todo funciona, pero concédele ese permiso si quieres poder echar a los spammers del grupo.
right-manage-topics = gestionar temas
right-delete-messages = eliminar mensajes
right-pin-messages = fijar mensajes
setup-connected =
    🎉 ¡Conectado! Ahora @{ $bot } atiende a tus clientes, y en «{ $group }» se abre un tema para cada uno de ellos.

    Pruébalo: abre @{ $bot } y envía cualquier mensaje, como haría un cliente. En el grupo se abrirá un tema con tu nombre y recibirás el mensaje de bienvenida. Responde en ese tema: la respuesta te llegará desde @{ $bot }.

## The connection card.

setup-card =
    🔌 { $name }

    Bot: @{ $bot }
    Grupo: { $group }
    Estado: { $status }
    ID: { $id }
    Clave de API: { $key }
    Plan: { $plan }
status-running = 🟢 en marcha
status-stopped = ⏸ detenida
status-starting = ⏳ iniciándose
status-error-token = 🔴 error: Telegram rechaza el token del bot (¿revocado en @BotFather?)
status-error-other = 🔴 error: sigue fallando y se reintenta solo (detalles en el registro de la instancia)
status-error-rights = 🔴 error: al bot le faltan estos permisos en el grupo: { $rights }. Concédeselos en los ajustes de administradores del grupo.
status-error-not-in-group = 🔴 error: el bot ya no está en el grupo. Vuelve a añadirlo como administrador.
status-error-key = 🔴 error: no se puede descifrar el token del bot: la clave de esta instancia de Hotline cambió. Su responsable debe restaurar data_dir/secret.key (o encryption_key) desde la copia de seguridad y reiniciarla.
setup-card-error = Último error: { $error }
setup-alert-rights = ⚠️ { $name }: el bot ha perdido permisos que necesita en el grupo: { $rights }. Los mensajes de los clientes se guardan y aparecerán en cuanto se los concedas en los ajustes de administradores del grupo.
setup-alert-not-in-group = ⚠️ { $name }: han sacado al bot del grupo. Los mensajes de los clientes se guardan y aparecerán en cuanto vuelvas a añadirlo como administrador.
setup-alert-fixed = ✅ { $name }: el bot vuelve a tener todos los permisos que necesita en el grupo.
setup-alert-plan = ℹ️ { $name } pasa al plan { $plan }. Qué cambia: { $changes }
setup-alert-plan-nothing = ℹ️ { $name } pasa al plan { $plan }. Tus parámetros siguen igual.
plan-free = gratuito
plan-paid = de pago
button-params = ⚙️ Parámetros
button-roles = 👥 Roles
button-team-language = 🌐 Idioma del equipo
button-stop = ⏸ Detener
button-start = ▶️ Iniciar
button-reset-key = 🔑 Nueva clave de API
button-delete = 🗑 Eliminar
button-grant-paid = 💎 Dar el plan de pago
button-set-free = Pasar al plan gratuito
setup-stopped = ⏸ Detenida: Hotline ya no lee los mensajes de este bot. Telegram los guarda unas 24 horas; vuelve a iniciar la conexión para procesarlos.
setup-started = ▶️ Iniciada.
setup-key-reset = 🔑 Se ha generado una nueva clave de API. La anterior ya no funciona.
setup-delete-confirm = ⚠️ ¿Eliminar «{ $name }»? Hotline olvidará sus clientes, conversaciones, parámetros y roles. El bot y el grupo se quedan en Telegram tal como están. Esto no se puede deshacer.
button-delete-confirm = 🗑 Sí, eliminar
setup-deleted = 🗑 Se ha eliminado «{ $name }».
setup-team-language-choose = 🌐 El idioma de los textos del equipo en el grupo: /help, los avisos y la ficha del cliente.
setup-team-language-set = ✅ Idioma de los textos del equipo: { $language }.
setup-plan-set = ✅ «{ $name }» tiene ahora el plan { $plan }.
setup-all =
    🗂 Conexiones en esta instancia: { $count }.
    Elige una para verla o cambiar su plan.

## Parameters.

setup-params = ⚙️ Parámetros de «{ $name }». Elige uno para ver qué hace y cambiarlo.
setup-param =
    ⚙️ { $param }

    { $description }

    Valor actual: { $value }

    Envía el nuevo valor en un mensaje.
setup-param-paid = 💎 Solo en el plan de pago.
setup-param-inactive = ℹ️ Se guarda y se comprueba, pero esta instancia todavía no lo aplica.
setup-param-empty = (ninguno)
setup-param-changed = ✅ { $param } ahora es: { $value }
button-off = OFF
param-welcome = Se envía al cliente en su primer contacto y en su primer mensaje después de cerrarse la conversación. Admite el formato de Telegram; {"{"}title{"}"} se sustituye por el nombre del cliente. OFF lo desactiva (plan de pago; en el plan gratuito se añade una línea «Soporte con tecnología de Hotline»).
param-autoclose = Cuántas horas después de la última respuesta del equipo, sin ningún mensaje nuevo del cliente, se cierra sola la conversación. Un número entero a partir de 1; OFF: nunca (plan de pago). En el plan gratuito, 48 como máximo.
param-auto-info = Publicar la ficha del cliente en el tema al crearlo: on u off.
param-extensions-allowed = Quién puede usar los módulos (difusiones, etiquetas, exportación, analíticas) y recibir las fichas ocultas de los clientes: ID de usuario separados por comas, o . para todos los miembros del grupo. Son supervisores.
param-silent-mode = on: no se avisa a los clientes cuando su mensaje no se ha podido entregar. off: reciben un breve aviso.
param-ignore-chats = Chats cuyos mensajes se descartan: ID separados por comas. /ban añade clientes aquí; 777000 es la cuenta de servicio de Telegram.
param-white-list = Si se define, solo se reenvían estos chats: ID separados por comas. OFF: todos.
param-hide-info = Ocultar los datos de los clientes a los operadores (plan de pago), cualquiera de: name (los temas y las fichas muestran un seudónimo), command (/info se envía en privado a los supervisores), link (sin nombre de usuario), title (sin títulos de grupo).
param-reply-only = on: solo se entregan los mensajes del equipo que responden a un mensaje del cliente; todo lo demás se queda en el tema como comentario interno.
param-leave-closed = Tipos de temas que siguen cerrados cuando llegan mensajes nuevos (plan de pago): private, group, channel. Los temas nuevos de estos tipos se crean cerrados, sin mensaje de bienvenida; una respuesta del equipo los vuelve a abrir.
param-private-keywords = Una conversación privada nueva o cerrada solo se abre si el mensaje coincide. Los elementos se separan con comas y basta con uno: "palabra" coincide si el mensaje la contiene, ["p1", "p2"] exige todas, ~palabra significa «no contiene». OFF: cualquier mensaje.
param-groups-keywords = Como PRIVATE_KEYWORDS, para los grupos monitorizados.
param-channels-keywords = Como PRIVATE_KEYWORDS, para los canales monitorizados.
param-restricted-keywords-frontend = Los mensajes de clientes que contienen alguna de estas palabras no se reenvían: palabras separadas por comas. OFF: se reenvía todo.
param-monitor-private = on: reenviar los chats privados con el bot (el servicio de soporte habitual).
param-monitor-groups = on: un tema por cada grupo en el que está el bot; desde él, el equipo puede escribir en el grupo.
param-monitor-channels = on: un tema por cada canal en el que está el bot.
param-webhooks = Enviar los eventos en JSON por POST a tus URL (plan de pago): {"{"}"https://example.com/hook": ["dialog_created", "message_received", "/order"]{"}"}. Eventos: dialog_created, dialog_reopened, dialog_closed, message_received, message_sent o un /comando.
param-custom-commands = Comandos que Hotline ignora en los temas porque los responde otro bot, separados por comas: /order, /refund.
param-icon-color = El color del icono de los temas nuevos: blue, yellow, violet, green, rose o red (o su código hexadecimal, como 6FB9F0).

## Why a value was refused. Nothing was changed.

error-blank = ⚠️ El valor está vacío. Envía OFF para borrarlo.
error-too-long = ⚠️ Demasiado largo: { $len } caracteres, { $max } como máximo.
error-unclosed-quote = ⚠️ Faltan las comillas de cierre: { $fragment }
error-stray-quote = ⚠️ Comillas dentro de una palabra: { $fragment }. Pon entre comillas todo el elemento: "dos palabras".
error-text-after-quote = ⚠️ Hay algo después de unas comillas de cierre: { $fragment }. Separa los elementos con comas.
error-empty-item = ⚠️ El elemento { $position } está vacío: dos comas seguidas, o una coma al principio o al final.
error-empty-word = ⚠️ Una palabra vacía: { $fragment }
error-unclosed-bracket = ⚠️ Un [ sin cerrar: { $fragment }
error-empty-bracket = ⚠️ Corchetes vacíos: { $fragment }. Pon las palabras dentro: ["p1", "p2"].
error-nested-bracket = ⚠️ Los corchetes no se pueden anidar: { $fragment }
error-text-after-bracket = ⚠️ Hay algo después de un corchete de cierre: { $fragment }. Separa los elementos con comas.
error-stray-bracket = ⚠️ Un corchete donde no puede ir: { $fragment }
error-not-on-off = ⚠️ «{ $fragment }» no es ni on ni off.
error-not-an-id = ⚠️ «{ $fragment }» no es un ID de Telegram (un número entero como 123456789).
error-not-hours = ⚠️ «{ $fragment }» no es un número entero de horas.
error-hours-range = ⚠️ { $fragment } está fuera de rango: de { $min } a { $max } horas.
error-unknown-option = ⚠️ «{ $fragment }» no es ninguna de estas opciones: { $allowed }.
error-not-a-command = ⚠️ «{ $fragment }» no es un comando: usa de 1 a 32 letras latinas, dígitos o _ (como /order).
error-reserved-command = ⚠️ { $fragment } es un comando propio de Hotline y no se puede dejar a otro bot.
error-unknown-color = ⚠️ «{ $fragment }» no es un color de tema. Usa blue, yellow, violet, green, rose o red.
error-json = ⚠️ El JSON falla en «{ $fragment }»: ahí se esperaba { $expected }.
json-string = un "texto" entre comillas
json-escape = una secuencia de escape válida, como \n
json-end = el final del texto
error-bad-url = ⚠️ «{ $fragment }» no es una dirección http o https.
error-unknown-event = ⚠️ «{ $fragment }» no es un evento (dialog_created, dialog_reopened, dialog_closed, message_received, message_sent) ni un /comando.
error-duplicate-url = ⚠️ { $fragment } aparece dos veces.
error-no-events = ⚠️ { $fragment } no tiene eventos: indica al menos uno.
error-reserved-word = ⚠️ El mensaje de bienvenida no puede ser solo «{ $fragment }». Envía OFF para desactivarlo.
refused-welcome-off = 💎 En el plan gratuito no se puede desactivar el mensaje de bienvenida. Cambia su texto o pide el plan de pago al responsable de esta instancia.
refused-autoclose = 💎 En el plan gratuito, AUTOCLOSE es de { $max } horas como máximo. Envía un número del 1 al { $max } o pide el plan de pago al responsable de esta instancia.
refused-paid-only = 💎 { $param } solo está disponible en el plan de pago. Pide al responsable de esta instancia que te lo conceda.

## Roles.

setup-roles =
    👥 Roles en «{ $name }»

    { $list }

    Todos los demás del grupo: { $default }.

    Los administradores gestionan la conexión aquí; los supervisores, además, usan los módulos; los operadores responden a los clientes; los observadores solo leen.
setup-role-line = • { $who }: { $role }
button-add-member = ➕ Añadir un miembro
button-default-role = Los demás: { $role }
button-revoke = ✖️ { $who }
setup-add-member = 👤 ¿Quién? Reenvíame cualquier mensaje suyo, o envíame su @username (tiene que haber escrito en el grupo) o su ID numérico de Telegram.
setup-member-hidden = ⚠️ Esta persona oculta su cuenta en los mensajes reenviados, así que no puedo saber quién es. Envíame su @username o su ID numérico.
setup-member-unknown = ⚠️ Todavía no he visto a @{ $username } en el grupo. Pídele que escriba algo allí o envíame su ID numérico.
setup-member-bad = ⚠️ Reenvía un mensaje, o envía un @username o un ID numérico.
setup-member-pick-role = ¿Qué rol tendrá { $who }?
setup-role-set = ✅ { $who }: { $role }.
setup-role-revoked = ✅ { $who } ya no tiene un rol propio: { $default }, como todos los demás.
setup-last-admin = ⚠️ La conexión se quedaría sin administrador. Primero haz administrador a otra persona.
setup-default-admin = ⚠️ Administrador no puede ser el rol predeterminado: cualquier miembro del grupo gestionaría la conexión. Asigna los administradores uno a uno con «Añadir un miembro».
setup-contended = ⚠️ La configuración se estaba cambiando en otro sitio en ese mismo momento. No se ha cambiado nada; inténtalo de nuevo.
setup-default-role-choose = El rol de los miembros del grupo sin un rol propio:
setup-default-role-set = ✅ Todos los demás del grupo: { $role }.

## Something went wrong on our side (details are in the instance's log).

setup-failed = ⚠️ Algo ha fallado por nuestra parte. Vuelve a intentarlo; si sigue fallando, avisa al responsable de esta instancia.

## Templates of a connection (the card's Templates button).

button-templates = 📄 Plantillas
button-template-new = ➕ Nueva plantilla
button-template-save = 💾 Guardar
button-template-preview = 👁 Vista previa
button-template-rename = ✏️ Renombrar
setup-templates = 📄 Plantillas de { $name }: { $list }

    Tu equipo envía una a un cliente con /send NOMBRE en el tema del cliente, o a muchos clientes con /send en General.
setup-templates-none = 📄 { $name } todavía no tiene plantillas. Pulsa Nueva plantilla, envíame sus mensajes y pulsa Guardar.
setup-template = 📄 Plantilla { $name }: { $count ->
        [one] un mensaje
       *[other] { $count } mensajes
    }.
    { $begins }
setup-template-record = 📝 Envíame los mensajes de la nueva plantilla: texto, fotos, vídeos, archivos, notas de voz, álbumes; como máximo { $max }. Luego pulsa Guardar.
setup-template-got = 📝 { $count ->
        [one] Un mensaje
       *[other] { $count } mensajes
    } hasta ahora. Envía más o pulsa Guardar.
setup-template-empty = Primero envíame al menos un mensaje.
setup-template-full = ❌ Una plantilla tiene como máximo { $max } mensajes: pulsa Guardar para quedarte con estos.
setup-template-ask-name = 📝 ¿Cómo se llamará la plantilla? Primero una letra latina, luego letras, dígitos, - y _, como máximo 32 caracteres (por ejemplo: bienvenida).
setup-template-ask-rename = ✏️ ¿Cómo se llamará { $name } a partir de ahora?
setup-template-delete-confirm = 🗑 ¿Eliminar la plantilla { $name }? Las etiquetas que la envían dejarán de enviarla.
setup-template-gone = Esta plantilla ya no existe.
setup-template-carry-failed = ❌ Telegram no aceptó los archivos de la plantilla ({ $error }). No se guardó nada: envía el nombre otra vez para reintentarlo.
setup-template-preview-failed = ❌ No se pudo enviar la vista previa ({ $error }).

## Telegram Business.

setup-business-ask-token =
    💼 Telegram Business (requiere Telegram Premium)

    1. En @BotFather abre /mybots → tu bot → Bot Settings → Business Mode y actívalo (si aún no tienes un bot, créalo antes con /newbot).
    2. Envíame aquí el token de ese bot.

    Después te pediré que conectes el bot a tu cuenta en Telegram y que vincules el grupo-foro del equipo.
setup-business-mode-off = ⚠️ @{ $bot } tiene Business Mode desactivado, así que Telegram no deja conectarlo a una cuenta. Actívalo en @BotFather (/mybots → @{ $bot } → Bot Settings → Business Mode) y vuelve a enviar el token.
setup-business-connect =
    ✅ @{ $bot } está listo para Telegram Business.

    Ahora, en Telegram, en la cuenta a la que escribirán tus clientes (necesita Telegram Premium): Ajustes → Telegram Business → Chatbots → escribe @{ $bot }, elige los chats en los que puede trabajar y permítele responder a mensajes.

    Estoy esperando a que Telegram confirme la conexión.
setup-business-connected = ✅ { $account } ha conectado a @{ $bot }. Permitido: { $rights }
setup-business-off = ⚠️ { $account } ha desactivado a @{ $bot } en Telegram. Para continuar, vuelve a conectarlo en Ajustes → Telegram Business → Chatbots.
setup-business-first = ⏳ Primero conecta @{ $bot } a tu cuenta (Ajustes → Telegram Business → Chatbots). Comprobaré el grupo en cuanto Telegram confirme la conexión.
setup-card-business =
    Cuenta: { $account } (Telegram Business)
    Permitido: { $rights }
setup-card-business-off = ⚠️ { $account } ha desconectado el bot en Telegram: los mensajes a la cuenta no llegan al equipo. Vuelve a conectarlo en Ajustes → Telegram Business → Chatbots.
setup-business-ready =
    🎉 ¡Conectado! Ahora los clientes que escriben a { $account } llegan a tu equipo: en «{ $group }» se abre un tema para cada uno, y @{ $bot } les responde como { $account }.

    Pruébalo: escribe a { $account } desde otra cuenta de Telegram, como haría un cliente. Se abrirá un tema en el grupo; responde allí y la respuesta llegará desde { $account }. Los mensajes enviados al propio @{ $bot } no forman parte de este servicio de soporte.
