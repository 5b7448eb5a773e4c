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
card-tags = Теги: { $tags }
card-tags-none = Теги: нет
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
