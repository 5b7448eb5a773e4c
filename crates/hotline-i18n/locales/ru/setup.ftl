### Hotline: the setup bot (Russian). Every screen, button and answer of the admin's chat
### with the instance's setup bot, plus the two texts the frontend bot shows its admin
### while the backend group is being linked.
###
### Register: «вы» (lowercase), as Telegram's own interface. Plurals use the CLDR categories
### [one] (1, 21, 31…), [few] (2–4, 22–24…) and [many] (5–20, 25–30…).
### Keep untranslated what admins type or see elsewhere exactly: commands, parameter names,
### on/off/OFF, colour names, HIDE_INFO/LEAVE_CLOSED options, webhook events, @BotFather
### and its menus (BotFather speaks English only).
### Keep the message ids and variables identical to locales/en/setup.ftl.
###
### Buttons are short (Telegram cuts long button labels). Texts are plain text: no HTML.

## The main screen (/start) and the language.

# [1], not [one]: "Ваше подключение:" must not be shown for 21 connections.
setup-start =
    👋 Hotline превращает бота Telegram в службу поддержки для команды: у каждого клиента своя тема в вашей группе-форуме, и ваша команда отвечает прямо там.

    { $count ->
        [0] У вас пока нет подключений. Нажмите «Новое подключение», чтобы подключить своего бота.
        [1] Ваше подключение:
       *[other] Ваши подключения ({ $count }):
    }
setup-help =
    /start — ваши подключения и новое подключение
    /language — язык этого чата
    /cancel — прервать текущее действие
button-new-connection = ➕ Новое подключение
button-all-connections = 🗂 Все подключения
button-language = 🌐 Язык
button-back = ⬅️ Назад
button-cancel = ✖️ Отмена
setup-language-choose = 🌐 Выберите язык этого чата:
setup-language-set = ✅ Теперь я буду говорить с вами по-русски.
setup-cancelled = ✖️ Отменено. Ничего не изменилось.
setup-unexpected = 🤔 Я не ожидал здесь сообщения. Отправьте /start, чтобы увидеть свои подключения.

## Buttons pressed by someone who may not, or that no longer apply.

setup-not-yours = ⛔ Это подключение не ваше: изменять его могут только его администраторы.
setup-gone = Этого подключения больше нет.
setup-stale = Эта кнопка устарела. Отправьте /start.
setup-superadmin-only = ⛔ Это может сделать только владелец этого сервера Hotline.

## A new connection: the frontend.

setup-new-type =
    Кому будут писать ваши клиенты?

    🤖 Боту: вы создаёте его в @BotFather и присылаете мне его токен.
    👤 Аккаунту Telegram: вашему или созданному специально для поддержки.
button-connect-bot = 🤖 Подключить бота
button-connect-account = 👤 Подключить аккаунт
setup-account-kinds =
    👤 На какой аккаунт будут писать ваши клиенты?

    💼 Telegram для бизнеса: ваш собственный аккаунт с Telegram Premium. Ваш бот ведёт чаты этого аккаунта, а команда отвечает клиентам через него — от имени аккаунта.
    📱 Любой аккаунт Telegram (по QR-коду или номеру телефона): на этом сервере пока недоступно.
button-connect-business = 💼 Telegram для бизнеса
setup-ask-token =
    🔑 Пришлите мне токен вашего бота.

    Создайте бота в @BotFather командой /newbot (или откройте /mybots → ваш бот → API Token) и вставьте токен сюда. Он выглядит так: 123456789:AAH4f…

    Возьмите бота, созданного специально для поддержки: Hotline читает все сообщения, которые он получает.
setup-token-format = ⚠️ Это не токен бота. Токен выглядит так: 123456789:AAH4f… — скопируйте его из @BotFather и пришлите ещё раз.
setup-token-rejected = ⚠️ Telegram отклонил этот токен: он неверный или был отозван. Возьмите действующий токен в @BotFather (/mybots → ваш бот → API Token) и пришлите его ещё раз.
setup-token-taken = ⚠️ @{ $bot } уже подключён (подключение { $id }). Откройте его через /start или пришлите токен другого бота.
setup-token-no-groups = ⚠️ @{ $bot } нельзя добавлять в группы. В @BotFather откройте /mybots → @{ $bot } → Bot Settings → Allow Groups, включите эту настройку и пришлите токен ещё раз.
setup-token-own = ⚠️ Это токен самого бота настройки. Отправьте токен бота, которому будут писать ваши клиенты.
setup-token-linking = ⚠️ Бота @{ $bot } прямо сейчас подключает кто-то другой. Попросите этого человека закончить или отменить подключение и отправьте токен снова.
setup-telegram-error = ⚠️ Telegram не ответил ({ $error }). Попробуйте ещё раз через минуту.
setup-token-deleted = 🔐 Я удалил ваше сообщение с токеном, чтобы он не оставался в этом чате.

## A new connection: the backend group.

setup-link-group =
    ✅ Бот @{ $bot } принят.

    Теперь привяжите рабочую группу: супергруппу с включёнными темами, в которой будет отвечать ваша команда. @{ $bot } должен быть в ней администратором с правами на управление темами, удаление сообщений, закрепление сообщений и блокировку пользователей.

    Проще всего так: нажмите «Выбрать группу», затем «Запустить» в @{ $bot }. Он покажет кнопку для выбора группы и сам вступит в неё с нужными правами.
    Или нажмите «Добавить в группу» и выберите группу в Telegram.
button-pick-group = 👥 Выбрать группу
button-add-to-group = ➕ Добавить в группу
setup-picker-prompt = 👇 Нажмите кнопку ниже и выберите группу-форум для службы поддержки. Я вступлю в неё как администратор с нужными мне правами.
button-picker = 👥 Выбрать группу
setup-picker-received = ✅ Принято. Что делать дальше, подскажет бот настройки @{ $setup }.
setup-group-not-forum = ⚠️ Группа «{ $group }» — не форум. Включите темы в настройках группы и выберите её ещё раз.
setup-group-not-found = ⚠️ @{ $bot } не видит эту группу. Добавьте его в группу администратором и выберите группу ещё раз.
setup-group-not-admin = ⚠️ @{ $bot } состоит в группе «{ $group }», но не является её администратором. Назначьте его администратором с правами на управление темами, удаление сообщений, закрепление сообщений и блокировку пользователей, затем выберите группу ещё раз.
setup-group-missing-rights = ⚠️ @{ $bot } — администратор группы «{ $group }», но у него нет этих прав: { $rights }. Выдайте их в настройках администраторов группы и выберите группу ещё раз.
setup-group-no-ban = ℹ️ @{ $bot } не может блокировать пользователей в группе «{ $group }». Всё работает, но выдайте ему это право, если хотите удалять спамеров из группы.
right-manage-topics = управление темами
right-delete-messages = удаление сообщений
right-pin-messages = закрепление сообщений
setup-connected =
    🎉 Готово! Теперь @{ $bot } отвечает вашим клиентам, а в группе «{ $group }» для каждого из них открывается своя тема.

    Попробуйте: откройте @{ $bot } и отправьте любое сообщение, как это сделал бы клиент. В группе откроется тема с вашим именем, а вы получите приветственное сообщение. Ответьте в этой теме — ответ придёт от @{ $bot }.

## The connection card.

setup-card =
    🔌 { $name }

    Бот: @{ $bot }
    Группа: { $group }
    Статус: { $status }
    ID: { $id }
    API-ключ: { $key }
    Тариф: { $plan }
status-running = 🟢 работает
status-stopped = ⏸ остановлено
status-starting = ⏳ запускается
status-error-token = 🔴 ошибка: Telegram не принимает токен бота (отозван в @BotFather?)
status-error-other = 🔴 ошибка: подключение сбоит и перезапускается само (подробности в журнале сервера)
status-error-rights = 🔴 ошибка: у бота нет этих прав в группе: { $rights }. Выдайте их в настройках администраторов группы.
status-error-not-in-group = 🔴 ошибка: бота больше нет в группе. Добавьте его обратно администратором.
status-error-key = 🔴 ошибка: токен бота не расшифровывается — ключ шифрования этого сервера Hotline изменился. Владелец сервера должен восстановить data_dir/secret.key (или encryption_key) из резервной копии и перезапустить сервер.
setup-card-error = Последняя ошибка: { $error }
setup-alert-rights = ⚠️ { $name }: бот потерял нужные права в группе: { $rights }. Сообщения клиентов сохраняются и появятся, как только вы выдадите права в настройках администраторов группы.
setup-alert-not-in-group = ⚠️ { $name }: бота удалили из группы. Сообщения клиентов сохраняются и появятся, как только вы снова добавите его администратором.
setup-alert-fixed = ✅ { $name }: у бота снова есть все нужные права в группе.
setup-alert-plan = ℹ️ { $name } теперь на тарифе «{ $plan }». Что меняется: { $changes }
setup-alert-plan-nothing = ℹ️ { $name } теперь на тарифе «{ $plan }». Ваши параметры остаются прежними.
plan-free = бесплатный
plan-paid = платный
button-params = ⚙️ Параметры
button-roles = 👥 Роли
button-team-language = 🌐 Язык команды
button-stop = ⏸ Остановить
button-start = ▶️ Запустить
button-reset-key = 🔑 Сбросить API-ключ
button-delete = 🗑 Удалить
button-grant-paid = 💎 Выдать платный тариф
button-set-free = Перевести на бесплатный
setup-stopped = ⏸ Остановлено: Hotline больше не читает сообщения этого бота. Telegram хранит их около 24 часов; снова запустите подключение, чтобы их обработать.
setup-started = ▶️ Запущено.
setup-key-reset = 🔑 Выпущен новый API-ключ. Старый больше не действует.
setup-delete-confirm = ⚠️ Удалить подключение «{ $name }»? Hotline забудет его клиентов, диалоги, параметры и роли. Бот и группа останутся в Telegram как есть. Это действие нельзя отменить.
button-delete-confirm = 🗑 Да, удалить
setup-deleted = 🗑 Подключение «{ $name }» удалено.
setup-team-language-choose = 🌐 Язык текстов для команды в группе: /help, уведомления и карточка клиента.
setup-team-language-set = ✅ Язык текстов для команды: { $language }.
setup-plan-set = ✅ Тариф подключения «{ $name }» теперь { $plan }.
setup-all =
    🗂 Всего подключений на этом сервере: { $count }.
    Выберите подключение, чтобы открыть его или изменить тариф.

## Parameters.

setup-params = ⚙️ Параметры подключения «{ $name }». Выберите параметр, чтобы узнать, что он делает, и изменить его.
setup-param =
    ⚙️ { $param }

    { $description }

    Текущее значение: { $value }

    Пришлите новое значение сообщением.
setup-param-paid = 💎 Только на платном тарифе.
setup-param-inactive = ℹ️ Значение сохраняется и проверяется, но этот сервер пока его не применяет.
setup-param-empty = (нет)
setup-param-changed = ✅ { $param } теперь: { $value }
button-off = OFF
param-welcome = Отправляется клиенту при первом обращении и при его первом сообщении после закрытия диалога. Форматирование Telegram работает; {"{"}title{"}"} заменяется именем клиента. OFF отключает приветствие (на платном тарифе; на бесплатном к нему добавляется строка «Поддержка работает на Hotline»).
param-autoclose = Через сколько часов после последнего ответа команды диалог закрывается сам, если клиент так и не написал. Целое число от 1; OFF — никогда (на платном тарифе). На бесплатном тарифе — не больше 48.
param-auto-info = Публиковать карточку клиента в теме при её создании: on или off.
param-extensions-allowed = Кто может пользоваться модулями (рассылки, теги, экспорт, аналитика) и получать скрытые карточки клиентов: ID пользователей через запятую или . для всех участников группы. Они становятся супервайзерами.
param-silent-mode = on: клиентам не сообщается, что их сообщение не удалось доставить. off: они получают короткое уведомление.
param-ignore-chats = Чаты, сообщения из которых отбрасываются: ID через запятую. Команда /ban добавляет сюда клиентов; 777000 — служебный аккаунт Telegram.
param-white-list = Если задан, пересылаются только эти чаты: ID через запятую. OFF — все.
param-hide-info = Скрывать данные клиентов от операторов (на платном тарифе), любые из: name (в темах и карточках виден псевдоним), command (/info приходит супервайзерам в личные сообщения), link (без имени пользователя), title (без названий групп).
param-reply-only = on: доставляются только те сообщения команды, которые отвечают на сообщение клиента; всё остальное остаётся в теме как внутренний комментарий.
param-leave-closed = Типы тем, которые остаются закрытыми при новых сообщениях (на платном тарифе): private, group, channel. Новые темы этих типов создаются закрытыми, без приветствия; ответ команды открывает их снова.
param-private-keywords = Новый или закрытый личный диалог открывается, только если сообщение подходит. Элементы разделяются запятыми, достаточно любого одного: "слово" подходит, если сообщение его содержит, ["слово1", "слово2"] требует всех слов сразу, ~слово означает «не содержит». OFF — любое сообщение.
param-groups-keywords = То же, что PRIVATE_KEYWORDS, для отслеживаемых групп.
param-channels-keywords = То же, что PRIVATE_KEYWORDS, для отслеживаемых каналов.
param-restricted-keywords-frontend = Сообщения клиентов, в которых есть любое из этих слов, не пересылаются: слова через запятую. OFF — пересылается всё.
param-monitor-private = on: пересылать личные чаты с ботом (обычная служба поддержки).
param-monitor-groups = on: отдельная тема для каждой группы, в которой состоит бот; из неё команда может писать в группу.
param-monitor-channels = on: отдельная тема для каждого канала, в котором состоит бот.
param-webhooks = Отправлять события в JSON POST-запросами на ваши URL (на платном тарифе): {"{"}"https://example.com/hook": ["dialog_created", "message_received", "/order"]{"}"}. События: dialog_created, dialog_reopened, dialog_closed, message_received, message_sent или команда вида /order.
param-custom-commands = Команды, которые Hotline не трогает в темах, потому что на них отвечает другой бот, через запятую: /order, /refund.
param-icon-color = Цвет значка новых тем: blue, yellow, violet, green, rose или red (или его шестнадцатеричный код, например 6FB9F0).

## Why a value was refused. Nothing was changed.

error-blank = ⚠️ Значение пустое. Чтобы очистить его, отправьте OFF.
error-too-long =
    ⚠️ Слишком длинное значение: { $len } { $len ->
        [one] символ
        [few] символа
       *[many] символов
    }, максимум { $max }.
error-unclosed-quote = ⚠️ Кавычка не закрыта: { $fragment }
error-stray-quote = ⚠️ Кавычка внутри слова: { $fragment }. Возьмите в кавычки весь элемент: "два слова".
error-text-after-quote = ⚠️ После закрывающей кавычки что-то есть: { $fragment }. Разделяйте элементы запятыми.
error-empty-item = ⚠️ Элемент № { $position } пуст: две запятые подряд или запятая в начале или в конце.
error-empty-word = ⚠️ Пустое слово: { $fragment }
error-unclosed-bracket = ⚠️ Скобка [ не закрыта: { $fragment }
error-empty-bracket = ⚠️ Пустые скобки: { $fragment }. Впишите слова внутрь: ["слово1", "слово2"].
error-nested-bracket = ⚠️ Скобки не могут быть вложенными: { $fragment }
error-text-after-bracket = ⚠️ После закрывающей скобки что-то есть: { $fragment }. Разделяйте элементы запятыми.
error-stray-bracket = ⚠️ Скобка там, где её быть не может: { $fragment }
error-not-on-off = ⚠️ «{ $fragment }» — это не on и не off.
error-not-an-id = ⚠️ «{ $fragment }» — не ID в Telegram (целое число, например 123456789).
error-not-hours = ⚠️ «{ $fragment }» — не целое число часов.
# Genitive after «до»: до 1 / 21 часа, до 2 / 5 / 24 часов.
error-hours-range =
    ⚠️ { $fragment } вне допустимого диапазона: от { $min } до { $max } { $max ->
        [one] часа
       *[other] часов
    }.
error-unknown-option = ⚠️ «{ $fragment }» — не из списка: { $allowed }.
error-not-a-command = ⚠️ «{ $fragment }» — не команда: используйте от 1 до 32 латинских букв, цифр или _ (например, /order).
error-reserved-command = ⚠️ { $fragment } — собственная команда Hotline, её нельзя оставить другому боту.
error-unknown-color = ⚠️ «{ $fragment }» — не цвет темы. Используйте blue, yellow, violet, green, rose или red.
error-json = ⚠️ Ошибка в JSON на «{ $fragment }»: здесь ожидается { $expected }.
json-string = "текст" в кавычках
json-escape = допустимая escape-последовательность, например \n
json-end = конец текста
error-bad-url = ⚠️ «{ $fragment }» — не адрес http или https.
error-unknown-event = ⚠️ «{ $fragment }» — не событие (dialog_created, dialog_reopened, dialog_closed, message_received, message_sent) и не команда вида /order.
error-duplicate-url = ⚠️ { $fragment } указан дважды.
error-no-events = ⚠️ Для { $fragment } не указаны события: укажите хотя бы одно.
error-reserved-word = ⚠️ Приветствие не может состоять только из «{ $fragment }». Чтобы отключить его, отправьте OFF.
refused-welcome-off = 💎 На бесплатном тарифе приветствие нельзя отключить. Измените его текст или попросите владельца этого сервера выдать платный тариф.
# Genitive after «не больше»: не больше 1 / 21 часа, 2 / 5 / 24 часов.
refused-autoclose =
    💎 На бесплатном тарифе AUTOCLOSE — не больше { $max } { $max ->
        [one] часа
       *[other] часов
    }. Пришлите число от 1 до { $max } или попросите владельца этого сервера выдать платный тариф.
refused-paid-only = 💎 { $param } доступен только на платном тарифе. Попросите владельца этого сервера выдать платный тариф.

## Roles.

setup-roles =
    👥 Роли в подключении «{ $name }»

    { $list }

    Все остальные в группе: { $default }.

    Администраторы управляют подключением здесь; супервайзеры также пользуются модулями; операторы отвечают клиентам; наблюдатели только читают.
setup-role-line = • { $who }: { $role }
button-add-member = ➕ Добавить участника
button-default-role = Все остальные: { $role }
button-revoke = ✖️ { $who }
setup-add-member = 👤 Кого? Перешлите мне любое сообщение этого человека, пришлите его @username (он уже должен был написать в группе) или числовой ID в Telegram.
setup-member-hidden = ⚠️ Этот человек скрывает свой аккаунт в пересланных сообщениях, поэтому я не могу понять, кто это. Пришлите вместо этого его @username или числовой ID.
setup-member-unknown = ⚠️ Я ещё не видел @{ $username } в группе. Попросите этого человека что-нибудь там написать или пришлите его числовой ID.
setup-member-bad = ⚠️ Перешлите сообщение или пришлите @username либо числовой ID.
setup-member-pick-role = Выберите роль для { $who }:
setup-role-set = ✅ { $who }: { $role }.
setup-role-revoked = ✅ { $who } — без своей роли: { $default }, как у всех остальных.
setup-last-admin = ⚠️ Подключение останется без администратора. Сначала назначьте администратором кого-то другого.
setup-default-admin = ⚠️ Администратор не может быть ролью по умолчанию: тогда подключением управлял бы любой участник группы. Назначайте администраторов по одному кнопкой «Добавить участника».
setup-contended = ⚠️ Настройки в этот момент менялись в другом месте. Ничего не изменено, попробуйте ещё раз.
setup-default-role-choose = Роль участников группы, у которых нет своей роли:
setup-default-role-set = ✅ Все остальные в группе: { $role }.

## Something went wrong on our side (details are in the instance's log).

setup-failed = ⚠️ Что-то пошло не так на нашей стороне. Попробуйте ещё раз; если ошибка повторяется, сообщите владельцу этого сервера Hotline.

## Templates of a connection (the card's Templates button).

button-templates = 📄 Шаблоны
button-template-new = ➕ Новый шаблон
button-template-save = 💾 Сохранить
button-template-preview = 👁 Показать
button-template-rename = ✏️ Переименовать
setup-templates = 📄 Шаблоны подключения { $name }: { $list }

    Команда отправляет шаблон клиенту командой /send ИМЯ в теме клиента, а многим клиентам сразу — командой /send в General.
setup-templates-none = 📄 У подключения { $name } пока нет шаблонов. Нажмите «Новый шаблон», пришлите мне его сообщения и нажмите «Сохранить».
setup-template = 📄 Шаблон { $name }: { $count ->
        [one] { $count } сообщение
        [few] { $count } сообщения
       *[many] { $count } сообщений
    }.
    { $begins }
setup-template-record = 📝 Пришлите мне сообщения нового шаблона: текст, фото, видео, файлы, голосовые, альбомы — не больше { $max }. Затем нажмите «Сохранить».
setup-template-got = 📝 Пока { $count ->
        [one] { $count } сообщение
        [few] { $count } сообщения
       *[many] { $count } сообщений
    }. Пришлите ещё или нажмите «Сохранить».
setup-template-empty = Сначала пришлите хотя бы одно сообщение.
setup-template-full = ❌ В шаблоне не больше { $max } сообщений: нажмите «Сохранить», чтобы сохранить эти.
setup-template-ask-name = 📝 Как назвать шаблон? Сначала латинская буква, затем буквы, цифры, - и _, не длиннее 32 символов (например: welcome).
setup-template-ask-rename = ✏️ Как теперь будет называться { $name }?
setup-template-delete-confirm = 🗑 Удалить шаблон { $name }? Метки, которые его отправляют, перестанут это делать.
setup-template-gone = Этого шаблона больше нет.
setup-template-carry-failed = ❌ Telegram не принял файлы шаблона ({ $error }). Ничего не сохранено: пришлите имя ещё раз, чтобы повторить.
setup-template-preview-failed = ❌ Не удалось показать шаблон ({ $error }).

## Telegram для бизнеса.

setup-business-ask-token =
    💼 Telegram для бизнеса (нужен Telegram Premium)

    1. В @BotFather откройте /mybots → ваш бот → Bot Settings → Business Mode и включите его (если бота ещё нет, сначала создайте его командой /newbot).
    2. Пришлите мне сюда токен этого бота.

    Затем я попрошу подключить бота к вашему аккаунту в Telegram и привязать форум-группу команды.
setup-business-mode-off = ⚠️ У @{ $bot } выключен Business Mode, поэтому Telegram не даёт подключить его к аккаунту. Включите его в @BotFather (/mybots → @{ $bot } → Bot Settings → Business Mode) и пришлите токен ещё раз.
setup-business-connect =
    ✅ @{ $bot } готов к работе с Telegram для бизнеса.

    Теперь в Telegram на аккаунте, которому будут писать клиенты (нужен Telegram Premium): Настройки → Telegram для бизнеса → Чат-боты → введите @{ $bot }, выберите чаты, в которых он может работать, и разрешите ему отвечать на сообщения.

    Жду, когда Telegram подтвердит подключение.
setup-business-connected = ✅ { $account } подключил(а) @{ $bot }. Разрешено: { $rights }
setup-business-off = ⚠️ { $account } отключил(а) @{ $bot } в Telegram. Чтобы продолжить, подключите его снова: Настройки → Telegram для бизнеса → Чат-боты.
setup-business-first = ⏳ Сначала подключите @{ $bot } к своему аккаунту (Настройки → Telegram для бизнеса → Чат-боты). Я проверю группу, как только Telegram подтвердит подключение.
setup-card-business =
    Аккаунт: { $account } (Telegram для бизнеса)
    Разрешено: { $rights }
setup-card-business-off = ⚠️ { $account } отключил(а) бота в Telegram: сообщения аккаунту не доходят до команды. Подключите его снова: Настройки → Telegram для бизнеса → Чат-боты.
setup-business-ready =
    🎉 Готово! Теперь сообщения клиентов для { $account } попадают к вашей команде: в группе «{ $group }» для каждого клиента открывается своя тема, а @{ $bot } отвечает им от имени { $account }.

    Попробуйте: напишите { $account } с другого аккаунта Telegram, как это сделал бы клиент. В группе откроется тема; ответьте в ней — ответ придёт от { $account }. Сообщения самому @{ $bot } в этот хелпдеск не попадают.
