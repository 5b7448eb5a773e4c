### Hotline: every text a Telegram user sees from the Hotline runtime (Russian).
###
### Register: «вы» (lowercase) for the team and for customers alike. Plurals use the CLDR
### categories [one] (1, 21, 31…), [few] (2–4, 22–24…) and [many] (5–20, 25–30…).
### Keep the message ids and variables identical to locales/en/hotline.ftl.

## Team notices posted in a customer's topic.

notice-not-delivered-blocked = ⚠️ Не доставлено: клиент заблокировал бота.
notice-not-delivered-deactivated = ⚠️ Не доставлено: клиент удалил свой аккаунт Telegram.
notice-not-delivered-not-started = ⚠️ Не доставлено: клиент ещё не запустил бота.
notice-not-delivered-too-long = ⚠️ Не доставлено: сообщение слишком длинное для Telegram.
notice-not-delivered-other = ⚠️ Не доставлено: Telegram отклонил сообщение ({ $error }).
notice-not-relayed = ⚠️ Не удалось показать здесь сообщение клиента: { $error }.
notice-edit-not-mirrored = ⚠️ Изменение не дошло до клиента: { $error }.
notice-orphan-topic = ⚠️ Эта тема — дубликат темы клиента { $name }: ответ Telegram потерялся, пока она создавалась. Ваше сообщение доставлено клиенту. Пожалуйста, продолжайте в теме клиента: { $link }
notice-unknown-topic = ⚠️ Эта тема не связана ни с одним клиентом: сообщения отсюда никому не доставляются.
notice-retracted = 🗑 Отозвано: копия у клиента удалена.
notice-not-retracted = ⚠️ Не удалось отозвать сообщение: { $error } (Telegram позволяет удалять сообщения в течение 48 часов).
notice-del-needs-reply = ℹ️ Чтобы отозвать сообщение, отправленное клиенту, ответьте на него командой /del.
notice-closed-by = ⬛ { $name } закрывает диалог.
notice-autoclosed =
    ⬛ Диалог закрыт автоматически: клиент не писал { $hours ->
        [one] { $hours } час
        [few] { $hours } часа
       *[many] { $hours } часов
    }.
notice-banned = 🚫 Клиент { $name } заблокирован: его сообщения больше не пересылаются. Чтобы отменить, отправьте /unban.
notice-already-banned = 🚫 Этот клиент уже заблокирован.
notice-unbanned = ✅ Клиент { $name } разблокирован: его сообщения снова пересылаются.
notice-not-banned = ℹ️ Этот клиент не заблокирован.
notice-start-payload = ▶️ Клиент пришёл по ссылке с параметром: { $payload }
notice-unknown-command = ❔ Неизвестная команда { $command }. Отправьте /help, чтобы узнать, что здесь можно сделать.

## Commands refused because of who sent them.

refused-observer = 👁 Здесь вы наблюдатель: вы можете читать темы, но ваши команды не выполняются, а сообщения не доставляются.
refused-needs-supervisor = ⛔ Команда { $command } доступна только супервайзерам и администраторам этой службы поддержки.
refused-needs-admin = ⛔ Команда { $command } доступна только администраторам этой службы поддержки.
refused-anonymous = 🕶 Вы пишете анонимно от имени группы, поэтому Hotline не может определить, кто вы: ничего не доставлено и не выполнено. Чтобы отвечать клиентам и пользоваться командами, отключите «Анонимность» в своих правах администратора.

## The customer card (/info), one line per message.

card-header = 👤 Карточка клиента
card-name = Имя: { $name }
card-username = Имя пользователя: { $username }
card-id = ID: { $id }
card-language = Язык: { $language }
card-phone = Телефон: { $phone }
card-first-contact = Первое обращение: { $date }
card-start-payload = Параметр запуска: { $payload }
card-dialogs = Диалогов: { $count }
card-tags = Метки: { $tags }
card-tags-none = Метки: нет
card-private-header = 👤 Карточка клиента из темы «{ $topic }»
card-sent-privately =
    🔒 Данные клиента здесь скрыты (HIDE_INFO). Карточка отправлена в личные сообщения { $count ->
        [one] { $count } участнику, которому
       *[other] { $count } участникам, которым
    } разрешено её видеть.
card-not-sent = 🔒 Данные клиента здесь скрыты (HIDE_INFO), и ни один участник с доступом не смог получить карточку в личные сообщения: сначала им нужно запустить бота настройки.

## /help, built from lines.

help-header = Команды в этой теме — ваша роль: { $role }
help-close = /close — закрыть диалог ⬛
help-hold = /hold — пометить: ждёт ответа команды 🟪
help-wait = /wait — пометить: ответ дан, ждём клиента 🟨
help-info = /info — карточка клиента
help-ban = /ban — перестать пересылать сообщения этого клиента
help-unban = /unban — снова пересылать сообщения этого клиента
help-del = /del — в ответ на ваше сообщение: отозвать его у клиента
help-comment = «/ текст» (косая черта и пробел) — внутренний комментарий, клиенту не доставляется
help-answer = Любое другое сообщение здесь доставляется клиенту.
help-answer-reply-only = Клиенту доставляются только ответы на его сообщения (REPLY_ONLY); всё остальное остаётся здесь как комментарий.
help-observer = Вы можете читать эту тему; ваши сообщения остаются здесь как комментарии.
role-admin = администратор
role-supervisor = супервайзер
role-operator = оператор
role-observer = наблюдатель

## Sent to the customer in the frontend bot's private chat.

customer-not-delivered = ⚠️ К сожалению, не удалось доставить ваше сообщение в службу поддержки. Пожалуйста, попробуйте ещё раз или отправьте его в другом виде.
customer-restricted = ⚠️ Ваше сообщение не доставлено: в нём есть слова, недопустимые в этом чате поддержки.
branding-line = Поддержка работает на Hotline — { $link }
branding-line-plain = Поддержка работает на Hotline

## Commands in General, and where a command works.

general-help-header = Команды в General — ваша роль: { $role }
general-help-help = /help — этот список
general-help-mark = /mark — все метки и сколько тем у каждой; /mark ИМЯ — одна метка и её темы
general-help-mark-setup =
    /mark new ИМЯ — создать метку (сначала латинская буква, затем буквы, цифры, - и _)
    /mark ИМЯ name НОВОЕ — переименовать
    /mark ИМЯ ticker ТЕКСТ — показывать короткий текст или эмодзи в конце названий её тем (ticker CLEAR убирает)
    /mark ИМЯ after A,B — метка ИМЯ снимает с темы метки A и B, для воронок (after CLEAR отменяет)
    /mark del ИМЯ — удалить метку из всех тем
general-help-topics = Команды для одного клиента (/close, /info, /ban, …) работают в теме этого клиента: отправьте там /help.
general-help-observer = Вы можете читать здесь; ваши команды не выполняются.
help-help = /help — этот список
help-mark = /mark — метки этой темы; /mark ИМЯ — добавить; /mark del ИМЯ — снять
help-general = Общие команды (/mark, настройка меток, /export) работают в General: отправьте там /help.
where-topic-only = ↪️ { $command } работает в теме клиента, а не в General.
where-general-only = ↪️ { $command } работает в General, а не в теме клиента.

## Tags (/mark).

tag-bad-name = ❌ «{ $tag }» не может быть именем метки: имя начинается с латинской буквы, дальше буквы, цифры, - и _, не длиннее 32 символов.
tag-reserved-name = ❌ «{ $tag }» — служебное слово команды /mark; выберите другое имя.
tag-bad-ticker = ❌ Тикер — это короткий текст или эмодзи: не длиннее 12 символов, в одну строку, без [ и ].
tag-exists = ❌ Метка { $tag } уже есть.
tag-unknown = ❌ Метки «{ $tag }» нет. Метки: { $tags }
tag-unknown-none = ❌ Метки «{ $tag }» нет, и меток пока нет совсем: супервайзеры и администраторы создают их в General командой /mark new ИМЯ.
tag-created = 🏷 Метка { $tag } создана. Чтобы поставить её теме, отправьте в теме /mark { $tag }.
tag-renamed = 🏷 Теперь метка называется { $tag }.
tag-ticker-set = 🏷 Темы с меткой { $tag } теперь показывают [{ $ticker }] в конце названия.
tag-ticker-cleared = 🏷 Темы с меткой { $tag } больше не показывают тикер.
tag-after-set = 🏷 Метка { $tag } теперь снимает с темы: { $tags }.
tag-after-cleared = 🏷 Метка { $tag } больше не снимает с темы другие метки.
tag-deleted = 🗑 Метка { $tag } удалена. { $count ->
        [0] Её не было ни у одной темы.
        [one] Она была у { $count } темы.
       *[other] Она была у { $count } тем.
    }
tags-none = 🏷 Меток пока нет.
tags-none-setup = 🏷 Меток пока нет. Создайте первую: /mark new ИМЯ
tags-header = 🏷 Метки:
tags-line = { $tag }{ $suffix } — { $count ->
        [one] { $count } тема
        [few] { $count } темы
       *[other] { $count } тем
    }
tag-shown = 🏷 { $tag }{ $suffix } — { $count ->
        [0] пока ни одной темы
        [one] { $count } тема
        [few] { $count } темы
       *[other] { $count } тем
    }
tag-shown-after = Снимает с темы: { $tags }
tag-shown-topics = Последние темы: { $topics }
tag-usage = ❔ Варианты /mark: /mark · /mark ИМЯ · /mark new ИМЯ · /mark ИМЯ name НОВОЕ · /mark ИМЯ ticker ТЕКСТ|CLEAR · /mark ИМЯ after A,B|CLEAR · /mark ИМЯ sends ШАБЛОН|CLEAR · /mark del ИМЯ
topic-tags = 🏷 Метки этой темы: { $tags }
topic-tags-none = 🏷 У этой темы нет меток. Добавить: /mark ИМЯ
topic-tag-added = 🏷 Метка { $tag } добавлена.
topic-tag-added-removed = 🏷 Метка { $tag } добавлена; сняты: { $tags }.
topic-tag-already = 🏷 У этой темы уже есть метка { $tag }.
topic-tag-removed = 🏷 Метка { $tag } снята.
topic-tag-absent = 🏷 У этой темы нет метки { $tag }.

## Customer export (/export).

general-help-export = /export — все клиенты в файлах CSV и XLSX; /export МЕТКА — только клиенты с этой меткой
export-columns = ID,Имя,Фамилия,Имя пользователя,Язык,Телефон,Первое обращение,Последнее обращение,Метки,Диалоги,Статус
export-status-waiting = ждёт ответа команды
export-status-answered = ответ дан
export-status-closed = закрыт
export-status-none = нет диалога
export-status-unreachable = недоступен
export-caption = 📤 Клиенты: { $count }
export-caption-tag = 📤 Клиенты с меткой { $tag }: { $count }
export-truncated = ⚠️ В выгрузке только первые { $count } клиентов: больше она не вмещает.
export-hidden = 🔒 Данные клиентов в этой группе скрыты (HIDE_INFO), поэтому выгрузка сюда не публикуется.

## Opening a dialog from General (/new).

general-help-new = /new @имя_пользователя или /new ID — открыть тему клиента, чтобы написать ему первыми (он должен был запустить бота)
new-usage = ❔ /new @имя_пользователя или /new ID; если в этой группе несколько ботов, добавьте i и номер подключения (i7).
new-never-started = ❌ { $who } не запускал @{ $bot }: бот не может написать первым тому, кто его ни разу не запускал. Ничего не создано.
new-unreachable = ❌ { $name } заблокировал @{ $bot } или удалил аккаунт: сообщения до него не дойдут. Ничего не создано.
new-other-connection = ❌ В этой группе нет подключения { $connection }.
new-open = 💬 У клиента { $name } уже есть открытая тема: { $link }
new-opened = 🆕 Тема для клиента { $name } открыта: пишите в неё, и сообщения дойдут до него.
new-reopened = 🆕 Тема клиента { $name } снова открыта: { $link }

## Templates: /template in General, /send NAME in a topic
template-usage = ❔ Шаблоны: /template — список · /template new ИМЯ — ответом на сообщение сохраняет его; без ответа сохраняет сообщения, которые вы пришлёте следом, до /template save (или /template cancel) · /template ИМЯ — показать · /template ИМЯ name НОВОЕ · /template del ИМЯ. В теме клиента /send ИМЯ отправляет шаблон.
template-list = 📄 Шаблоны: { $templates }
template-none = 📄 Шаблонов пока нет. Сохраните первый в General: /template new ИМЯ ответом на сообщение.
template-bad-name = ❌ «{ $name }» не годится в имена шаблона: имя начинается с латинской буквы, дальше буквы, цифры, - и _, не длиннее 32 символов.
template-exists = ❌ Шаблон { $name } уже есть.
template-unknown = ❌ Шаблона «{ $name }» нет. Шаблоны: { $templates }
template-unknown-none = ❌ Шаблона «{ $name }» нет, и шаблонов пока нет вовсе: супервайзеры и админы сохраняют их в General командой /template new ИМЯ.
template-saved = 📄 Шаблон { $name } сохранён ({ $count ->
        [one] { $count } сообщение
        [few] { $count } сообщения
       *[many] { $count } сообщений
    }). В теме клиента: /send { $name }
template-recording = ⏺ Записываю шаблон { $name }: пришлите сюда его сообщения (текст, медиа, альбомы), затем /template save — или /template cancel.
template-not-recording = ❔ Вы сейчас не записываете шаблон. Начните с /template new ИМЯ.
template-nothing-yet = ❔ Пока ничего не записано: сначала пришлите сообщения шаблона { $name }, затем /template save.
template-cancelled = ⏹ Запись шаблона { $name } отменена, ничего не сохранено.
template-unsupported = ❌ Это сообщение не может войти в шаблон: подходят текст, медиа, альбомы, геоточки, контакты и кубики; опросы, игры и служебные сообщения — нет.
template-too-long = ❌ В шаблоне не больше { $max } сообщений, и этот уже заполнен: отправьте /template save, чтобы сохранить его.
template-renamed = 📄 Теперь шаблон называется { $name }.
template-deleted = 🗑 Шаблон { $name } удалён.
send-usage = ❔ /send ИМЯ отправляет этому клиенту сохранённый шаблон. Шаблоны: { $templates }
send-usage-none = ❔ /send ИМЯ отправляет этому клиенту сохранённый шаблон, но шаблонов пока нет.
tag-sends-set = 🏷 Теперь метка { $tag } при назначении отправляет клиенту шаблон { $template }.
tag-sends-cleared = 🏷 Метка { $tag } больше не отправляет шаблон.
tag-shown-sends = Отправляет шаблон: { $template }
help-send = /send ИМЯ — отправить клиенту сохранённый шаблон
general-help-template = /template — сохранить, показать, переименовать и удалить шаблоны

## Broadcasts: /send in General
general-help-send = /send АУДИТОРИЯ [ШАБЛОН] — рассылка: test, all, tag:ИМЯ или id пользователей; ответом на сообщение для отправки или с шаблоном
bc-usage = ❔ /send АУДИТОРИЯ [ШАБЛОН] — ответом на сообщение, которое нужно разослать, или с именем шаблона. АУДИТОРИЯ: test (вы сами), all, tag:ИМЯ или id пользователей (1,2,3). Для текстового или CSV-файла с id прикрепите его с подписью /send [ШАБЛОН].
bc-bad-audience = ❌ «{ $word }» — не аудитория: укажите test, all, tag:ИМЯ или id пользователей.
bc-too-many = ❌ Одна рассылка уходит не больше чем { $max } людям.
bc-needs-content = ❔ Что отправить? Пришлите команду ответом на сообщение или укажите шаблон после аудитории.
bc-file-bad-lines = ❌ В файле есть строки, которые не являются id пользователей (строки { $lines }). Каждая строка начинается с id; строка заголовка допустима. Ничего не запущено.
bc-file-empty = ❌ В файле нет id пользователей. Ничего не запущено.
bc-file-unreadable = ❌ Не удалось прочитать файл ({ $error }). Ничего не запущено.
bc-test-not-started = ❌ Чтобы проверить рассылку на себе, сначала запустите @{ $bot }: бот может писать только тем, кто его запустил.
bc-empty = ❌ Некому отправлять: в аудитории { $audience } нет никого, до кого можно достучаться.
bc-preview = 📣 Рассылка №{ $id } для { $audience }: { $count ->
        [one] { $count } человек
        [few] { $count } человека
       *[many] { $count } человек
    }. Содержимое: { $content }.
bc-content-template = шаблон { $template } ({ $count ->
        [one] { $count } сообщение
        [few] { $count } сообщения
       *[many] { $count } сообщений
    })
bc-content-message = сообщение, на которое дан ответ
bc-quota = Бесплатный тариф: в этом месяце осталось { $left } из { $limit } сообщений.
bc-quota-cut = В этом месяце можно отправить только { $left }; остальные { $cut } попадут в отчёт как неотправленные.
bc-quota-none = { $limit } сообщений бесплатного тарифа на этот месяц израсходованы: до следующего месяца отправить ничего нельзя.
bc-confirm = Нажмите «Запустить», чтобы отправить, или «Отменить».
bc-button-start = ▶️ Запустить
bc-button-cancel = ✖️ Отменить
bc-button-pause = ⏸ Пауза
bc-button-resume = ▶️ Продолжить
bc-state-draft = не запущена
bc-state-running = идёт отправка
bc-state-paused = на паузе
bc-state-cancelled = отменена
bc-state-done = завершена
bc-progress = 📣 Рассылка №{ $id } для { $audience } — { $state }
    Отправлено: { $sent } · ошибок: { $failed } · осталось: { $left }
bc-rate = { $rate } в секунду, ещё примерно { $eta }
bc-not-sent = Не отправлено: { $unsent } (сверх квоты тарифа, отменено или прервано перезапуском).
bc-report-caption = 📣 Рассылка №{ $id }: отправлено { $sent }, ошибок { $failed }, не отправлено { $unsent }.
bc-col-user = id пользователя
bc-col-name = имя
bc-col-username = username
bc-col-status = статус
bc-col-error = ошибка
bc-status-pending = ожидает
bc-status-sending = отправляется
bc-status-sent = отправлено
bc-status-failed = ошибка
bc-status-unknown = прервано: могло не дойти
bc-status-over-quota = не отправлено: сверх квоты тарифа
bc-status-cancelled = не отправлено: отменено
bc-answer-started = Запущено.
bc-answer-paused = На паузе.
bc-answer-resumed = Продолжено.
bc-answer-cancelled = Отменено.
bc-answer-stale = Эта рассылка уже { $state }.
bc-answer-not-here = Эта кнопка не относится к этому сообщению.
notice-not-delivered-window = ⚠️ Не доставлено: через аккаунт Telegram Business команда может ответить только в течение 24 часов после последнего сообщения клиента. Отправьте ещё раз, когда клиент напишет.
notice-not-delivered-no-right = ⚠️ Не доставлено: бизнес-аккаунт не разрешает боту это действие (Telegram → Настройки → Telegram для бизнеса → Чат-боты).
notice-not-delivered-disconnected = ⚠️ Не доставлено: бизнес-аккаунт отключил бота. Подключите его снова в Telegram → Настройки → Telegram для бизнеса → Чат-боты.
notice-not-delivered-not-recipient = ⚠️ Не доставлено: бизнес-аккаунт не допускает бота в этот чат (проверьте выбранные чаты в Telegram → Настройки → Telegram для бизнеса → Чат-боты).
notice-not-relayed-kind = ⚠️ Клиент прислал то, что нельзя показать через аккаунт Telegram Business ({ $kind }). Откройте чат в приложении Telegram этого аккаунта, чтобы посмотреть.
notice-deleted-in-chat = 🗑 Это сообщение удалено из чата с клиентом.
notice-owner-wrote = 👤 { $account } (из приложения Telegram):
write-first-refused = ⛔ Аккаунт Telegram Business не может написать первым: Telegram разрешает ему отвечать только тем, кто писал в последние 24 часа. Разговор начинает клиент — отвечайте ему в его теме.
alert-business-disabled = ⚠️ { $account } отключил(а) @{ $bot } в Telegram (Настройки → Telegram для бизнеса → Чат-боты). Сообщения аккаунту не доходят до команды, пока бота не подключат снова.
alert-business-enabled = ✅ { $account } снова подключил(а) @{ $bot }. Разрешено: { $rights }
alert-business-rights = ℹ️ { $account } изменил(а) права @{ $bot }. Теперь разрешено: { $rights }
alert-business-right-reply = отвечать на сообщения
alert-business-right-read = отмечать сообщения прочитанными
alert-business-right-delete-sent = удалять свои сообщения
alert-business-right-delete-all = удалять все сообщения
alert-business-rights-none = ничего
alert-business-no-reply = Без права «отвечать на сообщения» команда не сможет отвечать клиентам
