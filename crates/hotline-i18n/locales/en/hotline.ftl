### Hotline: every text a Telegram user sees from the Hotline runtime (English).
###
### This catalog is the source of truth: build.rs turns every message id here into a
### variant of `hotline_i18n::Key`. Add a message here first, then to ru, es and de with
### exactly the same variables.

## Team notices posted in a customer's topic.

notice-not-delivered-blocked = ⚠️ Not delivered: the customer blocked the bot.
notice-not-delivered-deactivated = ⚠️ Not delivered: the customer deleted their Telegram account.
notice-not-delivered-not-started = ⚠️ Not delivered: the customer has not started the bot.
notice-not-delivered-too-long = ⚠️ Not delivered: the message is too long for Telegram.
notice-not-delivered-other = ⚠️ Not delivered: Telegram refused it ({ $error }).
notice-not-relayed = ⚠️ A message from the customer could not be shown here: { $error }.
notice-edit-not-mirrored = ⚠️ The edit did not reach the customer: { $error }.
notice-orphan-topic = ⚠️ This topic is a duplicate of { $name }'s topic: Telegram's answer was lost while it was being created. Your message was delivered to the customer. Please continue in the customer's topic: { $link }
notice-unknown-topic = ⚠️ This topic is not linked to any customer: messages written here are not delivered to anyone.
notice-retracted = 🗑 Retracted: the customer's copy was deleted.
notice-not-retracted = ⚠️ Could not retract the message: { $error } (Telegram allows deleting for 48 hours).
notice-del-needs-reply = ℹ️ Reply to a message you sent to the customer with /del to retract it.
notice-closed-by = ⬛ Closed by { $name }.
notice-autoclosed =
    ⬛ Closed automatically: no message from the customer for { $hours ->
        [one] { $hours } hour
       *[other] { $hours } hours
    }.
notice-banned = 🚫 { $name } is banned: their messages are no longer relayed. Send /unban to undo.
notice-already-banned = 🚫 This customer is already banned.
notice-unbanned = ✅ { $name } is unbanned: their messages are relayed again.
notice-not-banned = ℹ️ This customer is not banned.
notice-start-payload = ▶️ The customer came through a link with the parameter: { $payload }
notice-unknown-command = ❔ Unknown command { $command }. Send /help to see what you can do here.

## Commands refused because of who sent them.

refused-observer = 👁 You are an observer here: you can read the topics, but your commands are not run and your messages are not delivered.
refused-needs-supervisor = ⛔ { $command } is for supervisors and admins of this helpdesk.
refused-needs-admin = ⛔ { $command } is for admins of this helpdesk.
refused-anonymous = 🕶 You are posting anonymously on behalf of the group, so Hotline cannot tell who you are: nothing was delivered or run. Turn off “Remain anonymous” in your administrator rights to answer customers and use commands.

## The customer card (/info), one line per message.

card-header = 👤 Customer card
card-name = Name: { $name }
card-username = Username: { $username }
card-id = ID: { $id }
card-language = Language: { $language }
card-phone = Phone: { $phone }
card-first-contact = First contact: { $date }
card-start-payload = Start parameter: { $payload }
card-dialogs = Dialogs: { $count }
card-tags = Tags: { $tags }
card-tags-none = Tags: none
card-private-header = 👤 Customer card from the topic “{ $topic }”
card-sent-privately =
    🔒 Customer data is hidden here (HIDE_INFO). The card was sent privately to { $count ->
        [one] { $count } member
       *[other] { $count } members
    } allowed to see it.
card-not-sent = 🔒 Customer data is hidden here (HIDE_INFO), and no allowed member could receive the card privately: they must start the setup bot first.

## /help, built from lines.

help-header = Commands in this topic — your role: { $role }
help-close = /close — close the dialog ⬛
help-hold = /hold — mark as waiting for the team 🟪
help-wait = /wait — mark as answered, waiting for the customer 🟨
help-info = /info — the customer card
help-ban = /ban — stop relaying this customer's messages
help-unban = /unban — relay this customer's messages again
help-del = /del — as a reply to your message: retract it from the customer
help-comment = “/ text” (slash, space) — an internal comment, never delivered
help-answer = Any other message here is delivered to the customer.
help-answer-reply-only = Only replies to the customer's messages are delivered (REPLY_ONLY); everything else stays here as a comment.
help-observer = You can read this topic; your messages stay here as comments.
role-admin = admin
role-supervisor = supervisor
role-operator = operator
role-observer = observer

## Sent to the customer in the frontend bot's private chat.

customer-not-delivered = ⚠️ Sorry, your message could not be delivered to the support team. Please try again or send it in another form.
customer-restricted = ⚠️ Your message was not delivered: it contains words this support chat does not accept.
branding-line = Support powered by Hotline — { $link }
branding-line-plain = Support powered by Hotline

## Commands in General, and where a command works.

general-help-header = Team commands in General — your role: { $role }
general-help-help = /help — this list
general-help-mark = /mark — every tag, with how many topics have it; /mark NAME — one tag and its topics
general-help-mark-setup =
    /mark new NAME — create a tag (a Latin letter first, then letters, digits, - and _)
    /mark NAME name NEW — rename it
    /mark NAME ticker TEXT — show a short text or an emoji at the end of its topics' titles (ticker CLEAR removes it)
    /mark NAME after A,B — giving a topic NAME takes A and B from it, for funnels (after CLEAR removes that)
    /mark del NAME — delete it from every topic
general-help-topics = Commands for one customer (/close, /info, /ban, …) work in that customer's topic: send /help there.
general-help-observer = You can read here; your commands are not run.
help-help = /help — this list
help-mark = /mark — this topic's tags; /mark NAME — add one; /mark del NAME — remove one
help-general = Team commands (/mark, tag setup, /export) work in General: send /help there.
where-topic-only = ↪️ { $command } works in a customer's topic, not in General.
where-general-only = ↪️ { $command } works in General, not in a customer's topic.

## Tags (/mark).

tag-bad-name = ❌ “{ $tag }” cannot be a tag name: a name starts with a Latin letter, then letters, digits, - and _, at most 32 characters.
tag-reserved-name = ❌ “{ $tag }” is a word /mark uses itself; choose another name.
tag-bad-ticker = ❌ A ticker is a short text or an emoji: at most 12 characters, on one line, without [ or ].
tag-exists = ❌ There is already a tag { $tag }.
tag-unknown = ❌ There is no tag “{ $tag }”. Tags: { $tags }
tag-unknown-none = ❌ There is no tag “{ $tag }”, and no tags yet: supervisors and admins create them in General with /mark new NAME.
tag-created = 🏷 Tag { $tag } created. Give it to a topic by sending /mark { $tag } there.
tag-renamed = 🏷 The tag is now called { $tag }.
tag-ticker-set = 🏷 Topics with { $tag } now show [{ $ticker }] at the end of their titles.
tag-ticker-cleared = 🏷 Topics with { $tag } no longer show a ticker.
tag-after-set = 🏷 Giving a topic { $tag } now takes { $tags } from it.
tag-after-cleared = 🏷 Giving a topic { $tag } no longer takes other tags from it.
tag-deleted = 🗑 Tag { $tag } deleted. { $count ->
        [0] No topic had it.
        [one] { $count } topic had it.
       *[other] { $count } topics had it.
    }
tags-none = 🏷 No tags yet.
tags-none-setup = 🏷 No tags yet. Create one: /mark new NAME
tags-header = 🏷 Tags:
tags-line = { $tag }{ $suffix } — { $count ->
        [one] { $count } topic
       *[other] { $count } topics
    }
tag-shown = 🏷 { $tag }{ $suffix } — { $count ->
        [0] no topics yet
        [one] { $count } topic
       *[other] { $count } topics
    }
tag-shown-after = Giving it takes from the topic: { $tags }
tag-shown-topics = Latest topics: { $topics }
tag-usage = ❔ /mark can be used as: /mark · /mark NAME · /mark new NAME · /mark NAME name NEW · /mark NAME ticker TEXT|CLEAR · /mark NAME after A,B|CLEAR · /mark NAME sends TEMPLATE|CLEAR · /mark del NAME
topic-tags = 🏷 This topic's tags: { $tags }
topic-tags-none = 🏷 This topic has no tags. Add one: /mark NAME
topic-tag-added = 🏷 { $tag } added.
topic-tag-added-removed = 🏷 { $tag } added; { $tags } removed.
topic-tag-already = 🏷 This topic already has { $tag }.
topic-tag-removed = 🏷 { $tag } removed.
topic-tag-absent = 🏷 This topic does not have { $tag }.

## Customer export (/export).

general-help-export = /export — every customer as a CSV and an XLSX file; /export TAG — only those with the tag
export-columns = ID,First name,Last name,Username,Language,Phone,First contact,Last contact,Tags,Dialogs,Status
export-status-waiting = waiting for the team
export-status-answered = answered
export-status-closed = closed
export-status-none = no dialog
export-status-unreachable = unreachable
export-caption = 📤 Customers: { $count }
export-caption-tag = 📤 Customers with { $tag }: { $count }
export-truncated = ⚠️ Only the first { $count } customers are listed: an export holds no more.
export-hidden = 🔒 Customer data is hidden in this group (HIDE_INFO), so no export is posted here.

## Opening a dialog from General (/new).

general-help-new = /new @username or /new ID — open a customer's topic to write to them first (they must have started the bot)
new-usage = ❔ /new @username or /new ID; add i and the connection's number (i7) when several bots share this group.
new-never-started = ❌ { $who } has not started @{ $bot }: a bot cannot write first to someone who never started it. Nothing was created.
new-unreachable = ❌ { $name } blocked @{ $bot } or deleted their account: nothing would reach them. Nothing was created.
new-other-connection = ❌ There is no connection { $connection } in this group.
new-open = 💬 { $name } already has an open topic: { $link }
new-opened = 🆕 A topic for { $name } is open: write there and it reaches them.
new-reopened = 🆕 { $name }'s topic is open again: { $link }

## Templates: /template in General, /send NAME in a topic
template-usage = ❔ Templates: /template — the list · /template new NAME — as a reply to a message, saves that message; without a reply, saves the messages you send next, until /template save (or /template cancel) · /template NAME — shows it · /template NAME name NEW · /template del NAME. In a customer's topic, /send NAME sends it.
template-list = 📄 Templates: { $templates }
template-none = 📄 No templates yet. Save one in General: /template new NAME as a reply to a message.
template-bad-name = ❌ “{ $name }” cannot be a template name: a name starts with a Latin letter, then letters, digits, - and _, at most 32 characters.
template-exists = ❌ There is already a template named { $name }.
template-unknown = ❌ There is no template “{ $name }”. Templates: { $templates }
template-unknown-none = ❌ There is no template “{ $name }”, and no templates yet: supervisors and admins save them in General with /template new NAME.
template-saved = 📄 Template { $name } saved ({ $count ->
        [one] one message
       *[other] { $count } messages
    }). In a customer's topic: /send { $name }
template-recording = ⏺ Recording template { $name }: send its messages here (text, media, albums), then /template save — or /template cancel.
template-not-recording = ❔ You are not recording a template. Start with /template new NAME.
template-nothing-yet = ❔ Nothing recorded yet: send the messages of { $name } first, then /template save.
template-cancelled = ⏹ Recording of { $name } cancelled; nothing was saved.
template-unsupported = ❌ This message cannot be part of a template: text, media, albums, locations, contacts and dice can; polls, games and service messages cannot.
template-too-long = ❌ A template holds at most { $max } messages, and this one is full: send /template save to keep it.
template-renamed = 📄 The template is now called { $name }.
template-deleted = 🗑 Template { $name } deleted.
send-usage = ❔ /send NAME sends a saved template to this customer. Templates: { $templates }
send-usage-none = ❔ /send NAME sends a saved template to this customer, but there are no templates yet.
tag-sends-set = 🏷 Giving a topic { $tag } now sends the customer the template { $template }.
tag-sends-cleared = 🏷 { $tag } no longer sends a template.
tag-shown-sends = Sends the template: { $template }
help-send = /send NAME — send a saved template to the customer
general-help-template = /template — save, show, rename and delete templates

## Broadcasts: /send in General
general-help-send = /send AUDIENCE [TEMPLATE] — a broadcast: test, all, tag:NAME or user ids; as a reply to the message to send, or with a template
bc-usage = ❔ /send AUDIENCE [TEMPLATE], as a reply to the message to send or with a template's name. AUDIENCE: test (yourself), all, tag:NAME, or user ids (1,2,3). For a text or CSV file of ids, attach it with /send [TEMPLATE] as its caption.
bc-bad-audience = ❌ “{ $word }” is not an audience: use test, all, tag:NAME or user ids.
bc-too-many = ❌ One broadcast goes to at most { $max } people.
bc-needs-content = ❔ What should be sent? Send the command as a reply to the message, or name a template after the audience.
bc-file-bad-lines = ❌ Some lines of the file are not user ids (lines { $lines }). Each line starts with an id; a header line is fine. Nothing was started.
bc-file-empty = ❌ The file holds no user ids. Nothing was started.
bc-file-unreadable = ❌ The file could not be read ({ $error }). Nothing was started.
bc-test-not-started = ❌ To try a broadcast on yourself, start @{ $bot } first: a bot can only write to people who started it.
bc-empty = ❌ Nobody to send to: { $audience } has no one who can be reached.
bc-preview = 📣 Broadcast #{ $id } to { $audience }: { $count ->
        [one] one person
       *[other] { $count } people
    }. Content: { $content }.
bc-content-template = the template { $template } ({ $count ->
        [one] one message
       *[other] { $count } messages
    })
bc-content-message = the message replied to
bc-quota = Free plan: { $left } of { $limit } messages left this month.
bc-quota-cut = Only { $left } can be sent this month; the other { $cut } will be reported as not sent.
bc-quota-none = This month's { $limit } free-plan messages are used up: nothing can be sent before next month.
bc-confirm = Press Start to send it, or Cancel.
bc-button-start = ▶️ Start
bc-button-cancel = ✖️ Cancel
bc-button-pause = ⏸ Pause
bc-button-resume = ▶️ Resume
bc-state-draft = not started
bc-state-running = sending
bc-state-paused = paused
bc-state-cancelled = cancelled
bc-state-done = finished
bc-progress = 📣 Broadcast #{ $id } to { $audience } — { $state }
    Sent: { $sent } · failed: { $failed } · left: { $left }
bc-rate = { $rate } a second, about { $eta } to go
bc-not-sent = Not sent: { $unsent } (over the plan's quota, cancelled, or interrupted by a restart).
bc-report-caption = 📣 Broadcast #{ $id }: { $sent } sent, { $failed } failed, { $unsent } not sent.
bc-col-user = user id
bc-col-name = name
bc-col-username = username
bc-col-status = status
bc-col-error = error
bc-status-pending = waiting
bc-status-sending = being sent
bc-status-sent = sent
bc-status-failed = failed
bc-status-unknown = interrupted: may not have arrived
bc-status-over-quota = not sent: over the plan's quota
bc-status-cancelled = not sent: cancelled
bc-answer-started = Started.
bc-answer-paused = Paused.
bc-answer-resumed = Resumed.
bc-answer-cancelled = Cancelled.
bc-answer-stale = This broadcast is { $state } already.
bc-answer-not-here = This button does not belong to this message.
notice-not-delivered-window = ⚠️ Not delivered: through a Telegram Business account the team can answer only within 24 hours of the customer's last message. Send it again once they write.
notice-not-delivered-no-right = ⚠️ Not delivered: the business account does not allow the bot this (Telegram → Settings → Telegram Business → Chatbots).
notice-not-delivered-disconnected = ⚠️ Not delivered: the business account has disconnected the bot. Connect it again under Telegram → Settings → Telegram Business → Chatbots.
notice-not-delivered-not-recipient = ⚠️ Not delivered: the business account does not let the bot into this chat (check the chats chosen under Telegram → Settings → Telegram Business → Chatbots).
notice-not-relayed-kind = ⚠️ The customer sent something that cannot be shown through a Telegram Business account ({ $kind }). Open the chat in the account's Telegram app to see it.
notice-deleted-in-chat = 🗑 This message was deleted from the chat with the customer.
notice-owner-wrote = 👤 { $account } (from the Telegram app):
write-first-refused = ⛔ A Telegram Business account cannot write first: Telegram lets it answer only people who wrote to it in the last 24 hours. Customers start the conversation; answer them in their topics.
alert-business-disabled = ⚠️ { $account } disconnected @{ $bot } in Telegram (Settings → Telegram Business → Chatbots). Messages to the account no longer reach the team until the bot is connected again.
alert-business-enabled = ✅ { $account } connected @{ $bot } again. Allowed: { $rights }
alert-business-rights = ℹ️ { $account } changed what @{ $bot } may do. Allowed now: { $rights }
alert-business-right-reply = reply to messages
alert-business-right-read = mark messages as read
alert-business-right-delete-sent = delete its own messages
alert-business-right-delete-all = delete all messages
alert-business-rights-none = nothing
alert-business-no-reply = Without “reply to messages” the team cannot answer customers
