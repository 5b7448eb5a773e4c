### Hotline: the setup bot (English). Every screen, button and answer of the admin's chat
### with the instance's setup bot, plus the two texts the frontend bot shows its admin
### while the backend group is being linked.
###
### Buttons are short (Telegram cuts long button labels). Texts are plain text: no HTML.

## The main screen (/start) and the language.

setup-start =
    👋 Hotline turns a Telegram bot into a team helpdesk: every customer gets a topic in your forum group, and your team answers right there.

    { $count ->
        [0] You have no connections yet. Press “New connection” to connect your bot.
        [one] Your connection:
       *[other] Your connections ({ $count }):
    }
setup-help =
    /start — your connections and a new one
    /language — the language of this chat
    /cancel — stop what you are doing
button-new-connection = ➕ New connection
button-all-connections = 🗂 All connections
button-language = 🌐 Language
button-back = ⬅️ Back
button-cancel = ✖️ Cancel
setup-language-choose = 🌐 Choose the language of this chat:
setup-language-set = ✅ I will speak English with you from now on.
setup-cancelled = ✖️ Cancelled. Nothing was changed.
setup-unexpected = 🤔 I did not expect a message here. Send /start to see your connections.

## Buttons pressed by someone who may not, or that no longer apply.

setup-not-yours = ⛔ This connection is not yours: only its admins can change it.
setup-gone = This connection no longer exists.
setup-stale = This button is out of date. Send /start.
setup-superadmin-only = ⛔ Only the operator of this Hotline instance can do this.

## A new connection: the frontend.

setup-new-type =
    What will your customers write to?

    🤖 A bot: you create it in @BotFather and give me its token.
    👤 A Telegram account: yours or one made for support.
button-connect-bot = 🤖 Connect bot
button-connect-account = 👤 Connect account
setup-account-kinds =
    👤 Which account will your customers write to?

    💼 Telegram Business: your own account, with Telegram Premium. A bot of yours works its chats on the account's behalf, and the team answers through it as the account.
    📱 Any Telegram account (QR code or phone number): not available on this instance yet.
button-connect-business = 💼 Telegram Business
setup-ask-token =
    🔑 Send me the token of your bot.

    Create a bot in @BotFather with /newbot (or open /mybots → your bot → API Token) and paste the token here. It looks like 123456789:AAH4f…

    Use a bot made for the helpdesk: Hotline reads every message it receives.
setup-token-format = ⚠️ That is not a bot token. A token looks like 123456789:AAH4f… — copy it from @BotFather and send it again.
setup-token-rejected = ⚠️ Telegram rejected this token: it is wrong or was revoked. Take the current token from @BotFather (/mybots → your bot → API Token) and send it again.
setup-token-taken = ⚠️ @{ $bot } is already connected (connection { $id }). Open it from /start, or send the token of another bot.
setup-token-no-groups = ⚠️ @{ $bot } cannot be added to groups. In @BotFather open /mybots → @{ $bot } → Bot Settings → Allow Groups, turn it on, then send the token again.
setup-token-own = ⚠️ That is the token of this setup bot itself. Send the token of the bot your customers will write to.
setup-token-linking = ⚠️ Someone else is connecting @{ $bot } right now. Ask them to finish or cancel, then send the token again.
setup-telegram-error = ⚠️ Telegram did not answer ({ $error }). Please try again in a minute.
setup-token-deleted = 🔐 I deleted your message with the token, so it does not stay in this chat.

## A new connection: the backend group.

setup-link-group =
    ✅ Bot @{ $bot } accepted.

    Now link the backend group: a supergroup with Topics turned on, where your team will answer. @{ $bot } must be its administrator with the rights to manage topics, delete messages, pin messages and ban users.

    The easiest way: press “Pick the group”, then Start in @{ $bot }. It shows a button to choose the group and joins it with the rights it needs.
    Or press “Add to a group” and choose the group in Telegram.
button-pick-group = 👥 Pick the group
button-add-to-group = ➕ Add to a group
setup-picker-prompt = 👇 Press the button below and choose the forum group for the helpdesk. I will join it as an administrator with the rights I need.
button-picker = 👥 Choose the group
setup-picker-received = ✅ Got it. The setup bot @{ $setup } tells you what happens next.
setup-group-not-forum = ⚠️ “{ $group }” is not a forum. Turn on Topics in the group's settings, then pick the group again.
setup-group-not-found = ⚠️ @{ $bot } cannot see that group. Add it to the group as an administrator, then pick the group again.
setup-group-not-admin = ⚠️ @{ $bot } is in “{ $group }” but is not an administrator. Make it an administrator with the rights to manage topics, delete messages, pin messages and ban users, then pick the group again.
setup-group-missing-rights = ⚠️ @{ $bot } is an administrator of “{ $group }” but lacks these rights: { $rights }. Grant them in the group's administrator settings, then pick the group again.
setup-group-no-ban = ℹ️ @{ $bot } cannot ban users in “{ $group }”. Everything works, but grant it that right if you want to remove spammers from the group.
right-manage-topics = manage topics
right-delete-messages = delete messages
right-pin-messages = pin messages
setup-connected =
    🎉 Connected! @{ $bot } now answers your customers, and “{ $group }” gets a topic for each of them.

    Try it: open @{ $bot } and send any message, as a customer would. A topic named after you opens in the group, and you get the welcome message. Answer in that topic: the answer comes back from @{ $bot }.

## The connection card.

setup-card =
    🔌 { $name }

    Frontend: @{ $bot }
    Group: { $group }
    Status: { $status }
    ID: { $id }
    API key: { $key }
    Plan: { $plan }
status-running = 🟢 running
status-stopped = ⏸ stopped
status-starting = ⏳ starting
status-error-token = 🔴 error: Telegram rejects the bot token (revoked in @BotFather?)
status-error-other = 🔴 error: it keeps failing and retries by itself (details in the instance's log)
status-error-rights = 🔴 error: the bot lacks these rights in the group: { $rights }. Grant them in the group's administrator settings.
status-error-not-in-group = 🔴 error: the bot is no longer in the group. Add it back as an administrator.
status-error-key = 🔴 error: the bot token cannot be decrypted: this Hotline instance's key changed. Its operator must restore data_dir/secret.key (or encryption_key) from backup and restart it.
setup-card-error = Last error: { $error }
setup-alert-rights = ⚠️ { $name }: the bot lost rights it needs in the group: { $rights }. Customers' messages are kept and will be shown once you grant them in the group's administrator settings.
setup-alert-not-in-group = ⚠️ { $name }: the bot was removed from the group. Customers' messages are kept and will be shown once you add it back as an administrator.
setup-alert-fixed = ✅ { $name }: the bot has every right it needs in the group again.
setup-alert-plan = ℹ️ { $name } is now on the { $plan } plan. What changes: { $changes }
setup-alert-plan-nothing = ℹ️ { $name } is now on the { $plan } plan. Your parameters stay as they are.
plan-free = free
plan-paid = paid
button-params = ⚙️ Parameters
button-roles = 👥 Roles
button-team-language = 🌐 Team language
button-stop = ⏸ Stop
button-start = ▶️ Start
button-reset-key = 🔑 Reset API key
button-delete = 🗑 Delete
button-grant-paid = 💎 Grant paid plan
button-set-free = Set free plan
setup-stopped = ⏸ Stopped: Hotline no longer reads this bot's messages. Telegram keeps them for about 24 hours; start the connection again to process them.
setup-started = ▶️ Started.
setup-key-reset = 🔑 New API key issued. The old one no longer works.
setup-delete-confirm = ⚠️ Delete “{ $name }”? Hotline forgets its customers, dialogs, parameters and roles. The bot and the group stay in Telegram as they are. This cannot be undone.
button-delete-confirm = 🗑 Yes, delete
setup-deleted = 🗑 “{ $name }” is deleted.
setup-team-language-choose = 🌐 The language of the team's texts in the group: /help, notices and the customer card.
setup-team-language-set = ✅ The team's texts are now in { $language }.
setup-plan-set = ✅ “{ $name }” is now on the { $plan } plan.
setup-all =
    🗂 All connections on this instance: { $count }.
    Pick one to see it or change its plan.

## Parameters.

setup-params = ⚙️ Parameters of “{ $name }”. Pick one to see what it does and to change it.
setup-param =
    ⚙️ { $param }

    { $description }

    Current value: { $value }

    Send the new value as a message.
setup-param-paid = 💎 Paid plan only.
setup-param-inactive = ℹ️ Stored and checked; this instance does not act on it yet.
setup-param-empty = (none)
setup-param-changed = ✅ { $param } is now: { $value }
button-off = OFF
param-welcome = Sent to the customer on first contact and on their first message after the dialog was closed. Telegram formatting works; {"{"}title{"}"} is replaced with the customer's name. OFF turns it off (paid plan; on the free plan a “powered by” line is added).
param-autoclose = How many hours after the last answer of the team, with no new message from the customer, the dialog closes by itself. A whole number from 1; OFF: never (paid plan). On the free plan at most 48.
param-auto-info = Post the customer card in a topic when it is created: on or off.
param-extensions-allowed = Who may use the modules (broadcasts, tags, export, analytics) and receive hidden customer cards: user ids separated by commas, or . for every member of the group. They are supervisors.
param-silent-mode = on: customers are not told when their message could not be delivered. off: they get a short notice.
param-ignore-chats = Chats whose messages are dropped: ids separated by commas. /ban adds customers here; 777000 is Telegram's service account.
param-white-list = If set, only these chats are relayed: ids separated by commas. OFF: everyone.
param-hide-info = Hide customer data from operators (paid plan), any of: name (topics and cards show a pseudonym), command (/info is sent privately to supervisors), link (no username), title (no group titles).
param-reply-only = on: only team messages that reply to a customer's message are delivered; everything else stays in the topic as an internal comment.
param-leave-closed = Kinds of topics that stay closed when new messages arrive (paid plan): private, group, channel. New topics of these kinds are created closed, without the welcome message; an answer of the team reopens them.
param-private-keywords = A new or closed private dialog opens only when a message matches. Items are separated by commas and any one is enough: "word" matches when the message contains it, ["w1", "w2"] needs all of them, ~word means “does not contain”. OFF: every message.
param-groups-keywords = Like PRIVATE_KEYWORDS, for monitored groups.
param-channels-keywords = Like PRIVATE_KEYWORDS, for monitored channels.
param-restricted-keywords-frontend = Customer messages containing any of these words are not relayed: words separated by commas. OFF: everything is relayed.
param-monitor-private = on: relay private chats with the bot (the usual helpdesk).
param-monitor-groups = on: one topic per group the bot is in; the team can post back into it.
param-monitor-channels = on: one topic per channel the bot is in.
param-webhooks = POST events as JSON to your URLs (paid plan): {"{"}"https://example.com/hook": ["dialog_created", "message_received", "/order"]{"}"}. Events: dialog_created, dialog_reopened, dialog_closed, message_received, message_sent, or a /command.
param-custom-commands = Commands Hotline leaves alone in topics because another bot answers them, separated by commas: /order, /refund.
param-icon-color = The icon colour of new topics: blue, yellow, violet, green, rose or red (or its hex code, such as 6FB9F0).

## Why a value was refused. Nothing was changed.

error-blank = ⚠️ The value is empty. Send OFF to clear it.
error-too-long = ⚠️ Too long: { $len } characters, at most { $max }.
error-unclosed-quote = ⚠️ A quote is never closed: { $fragment }
error-stray-quote = ⚠️ A quote inside a word: { $fragment }. Quote the whole item: "two words".
error-text-after-quote = ⚠️ Something follows a closing quote: { $fragment }. Separate the items with commas.
error-empty-item = ⚠️ Item { $position } is empty: two commas in a row, or a comma at the start or the end.
error-empty-word = ⚠️ An empty word: { $fragment }
error-unclosed-bracket = ⚠️ A [ is never closed: { $fragment }
error-empty-bracket = ⚠️ Empty brackets: { $fragment }. Put the words inside: ["w1", "w2"].
error-nested-bracket = ⚠️ Brackets cannot be nested: { $fragment }
error-text-after-bracket = ⚠️ Something follows a closing bracket: { $fragment }. Separate the items with commas.
error-stray-bracket = ⚠️ A bracket where none is allowed: { $fragment }
error-not-on-off = ⚠️ “{ $fragment }” is neither on nor off.
error-not-an-id = ⚠️ “{ $fragment }” is not a Telegram id (a whole number such as 123456789).
error-not-hours = ⚠️ “{ $fragment }” is not a whole number of hours.
error-hours-range = ⚠️ { $fragment } is out of range: from { $min } to { $max } hours.
error-unknown-option = ⚠️ “{ $fragment }” is not one of: { $allowed }.
error-not-a-command = ⚠️ “{ $fragment }” is not a command: use 1 to 32 Latin letters, digits or _ (like /order).
error-reserved-command = ⚠️ { $fragment } is one of Hotline's own commands and cannot be left to another bot.
error-unknown-color = ⚠️ “{ $fragment }” is not a topic colour. Use blue, yellow, violet, green, rose or red.
error-json = ⚠️ The JSON breaks at “{ $fragment }”: { $expected } was expected there.
json-string = a "text" in quotes
json-escape = a valid escape such as \n
json-end = the end of the text
error-bad-url = ⚠️ “{ $fragment }” is not an http or https address.
error-unknown-event = ⚠️ “{ $fragment }” is neither an event (dialog_created, dialog_reopened, dialog_closed, message_received, message_sent) nor a /command.
error-duplicate-url = ⚠️ { $fragment } appears twice.
error-no-events = ⚠️ { $fragment } has no events: list at least one.
error-reserved-word = ⚠️ The welcome message cannot be just “{ $fragment }”. Send OFF to turn it off.
refused-welcome-off = 💎 On the free plan the welcome message cannot be turned off. Change its text instead, or ask the operator of this instance for the paid plan.
refused-autoclose = 💎 On the free plan AUTOCLOSE is at most { $max } hours. Send a number from 1 to { $max }, or ask the operator of this instance for the paid plan.
refused-paid-only = 💎 { $param } is available on the paid plan only. Ask the operator of this instance to grant it.

## Roles.

setup-roles =
    👥 Roles in “{ $name }”

    { $list }

    Everyone else in the group: { $default }.

    Admins manage the connection here; supervisors also use the modules; operators answer customers; observers only read.
setup-role-line = • { $who }: { $role }
button-add-member = ➕ Add a member
button-default-role = Everyone else: { $role }
button-revoke = ✖️ { $who }
setup-add-member = 👤 Who? Forward me any message of theirs, or send their @username (they must have written in the group) or their numeric Telegram id.
setup-member-hidden = ⚠️ This person hides their account in forwarded messages, so I cannot tell who it is. Send their @username or numeric id instead.
setup-member-unknown = ⚠️ I have not seen @{ $username } in the group yet. Ask them to write something there, or send their numeric id.
setup-member-bad = ⚠️ Forward a message, or send an @username or a numeric id.
setup-member-pick-role = Which role for { $who }?
setup-role-set = ✅ { $who }: { $role }.
setup-role-revoked = ✅ { $who } has no role of their own now: { $default }, like everyone else.
setup-last-admin = ⚠️ The connection would be left without an admin. Make someone else an admin first.
setup-default-admin = ⚠️ Admin cannot be the default role: anyone in the group would manage the connection. Give admins their role one by one with “Add a member”.
setup-contended = ⚠️ The settings were being changed elsewhere at the same moment. Nothing was changed; please try again.
setup-default-role-choose = The role of group members without a role of their own:
setup-default-role-set = ✅ Everyone else in the group: { $role }.

## Something went wrong on our side (details are in the instance's log).

setup-failed = ⚠️ Something went wrong on our side. Please try again; if it keeps failing, tell the operator of this instance.

## Templates of a connection (the card's Templates button).

button-templates = 📄 Templates
button-template-new = ➕ New template
button-template-save = 💾 Save
button-template-preview = 👁 Preview
button-template-rename = ✏️ Rename
setup-templates = 📄 Templates of { $name }: { $list }

    Your team sends one to a customer with /send NAME in the customer's topic, or to many customers with /send in General.
setup-templates-none = 📄 { $name } has no templates yet. Press New template, send me its messages, then press Save.
setup-template = 📄 Template { $name }: { $count ->
        [one] one message
       *[other] { $count } messages
    }.
    { $begins }
setup-template-record = 📝 Send me the messages of the new template: text, photos, videos, files, voice messages, albums — at most { $max }. Then press Save.
setup-template-got = 📝 { $count ->
        [one] One message
       *[other] { $count } messages
    } so far. Send more, or press Save.
setup-template-empty = Send me at least one message first.
setup-template-full = ❌ A template holds at most { $max } messages: press Save to keep these.
setup-template-ask-name = 📝 What should the template be called? A Latin letter first, then letters, digits, - and _, at most 32 characters (for example: welcome).
setup-template-ask-rename = ✏️ What should { $name } be called from now on?
setup-template-delete-confirm = 🗑 Delete the template { $name }? Tags that send it will stop sending it.
setup-template-gone = This template no longer exists.
setup-template-carry-failed = ❌ Telegram did not take the template's files ({ $error }). Nothing was saved: send the name again to retry.
setup-template-preview-failed = ❌ The preview could not be sent ({ $error }).

## Telegram Business.

setup-business-ask-token =
    💼 Telegram Business (needs Telegram Premium)

    1. In @BotFather open /mybots → your bot → Bot Settings → Business Mode and turn it on (create a bot with /newbot first if you have none).
    2. Send me that bot's token here.

    Then I will ask you to connect the bot to your account in Telegram and to link the team's forum group.
setup-business-mode-off = ⚠️ Business Mode is off for @{ $bot }, so Telegram does not let accounts connect it. Turn it on in @BotFather (/mybots → @{ $bot } → Bot Settings → Business Mode), then send the token again.
setup-business-connect =
    ✅ @{ $bot } is ready for Telegram Business.

    Now, in Telegram on the account your customers will write to (it needs Telegram Premium): Settings → Telegram Business → Chatbots → enter @{ $bot }, choose the chats it may work in and let it reply to messages.

    I am waiting for Telegram to confirm the connection.
setup-business-connected = ✅ { $account } connected @{ $bot }. Allowed: { $rights }
setup-business-off = ⚠️ { $account } turned @{ $bot } off in Telegram. Connect it again under Settings → Telegram Business → Chatbots to go on.
setup-business-first = ⏳ First connect @{ $bot } to your account (Settings → Telegram Business → Chatbots). I will check the group as soon as Telegram confirms the connection.
setup-card-business =
    Account: { $account } (Telegram Business)
    Allowed: { $rights }
setup-card-business-off = ⚠️ { $account } has disconnected the bot in Telegram: messages to the account do not reach the team. Connect it again under Settings → Telegram Business → Chatbots.
setup-business-ready =
    🎉 Connected! Customers who write to { $account } now reach your team: “{ $group }” gets a topic for each of them, and @{ $bot } answers them as { $account }.

    Try it: write to { $account } from another Telegram account, as a customer would. A topic opens in the group; answer there, and the answer arrives from { $account }. Messages sent to @{ $bot } itself are not part of this helpdesk.
