### Hotline: the setup bot (German). Every screen, button and answer of the admin's chat
### with the instance's setup bot, plus the two texts the frontend bot shows its admin
### while the backend group is being linked.
###
### Register: „du“, as Telegram's own interface.
### Keep untranslated what admins type or see elsewhere exactly: commands, parameter names,
### on/off/OFF, colour names, HIDE_INFO/LEAVE_CLOSED options, webhook events, @BotFather
### and its menus (BotFather speaks English only).
### Keep the message ids and variables identical to locales/en/setup.ftl.
###
### Buttons are short (Telegram cuts long button labels). Texts are plain text: no HTML.

## The main screen (/start) and the language.

setup-start =
    👋 Hotline macht aus einem Telegram-Bot einen Helpdesk für dein Team: Jeder Kunde bekommt ein eigenes Thema in deiner Forumgruppe, und dein Team antwortet direkt dort.

    { $count ->
        [0] Du hast noch keine Verbindungen. Tippe auf „Neue Verbindung“, um deinen Bot zu verbinden.
        [one] Deine Verbindung:
       *[other] Deine Verbindungen ({ $count }):
    }
setup-help =
    /start — deine Verbindungen und eine neue
    /language — die Sprache dieses Chats
    /cancel — abbrechen, was du gerade tust
button-new-connection = ➕ Neue Verbindung
button-all-connections = 🗂 Alle Verbindungen
button-language = 🌐 Sprache
button-back = ⬅️ Zurück
button-cancel = ✖️ Abbrechen
setup-language-choose = 🌐 Wähle die Sprache dieses Chats:
setup-language-set = ✅ Ab jetzt spreche ich Deutsch mit dir.
setup-cancelled = ✖️ Abgebrochen. Es wurde nichts geändert.
setup-unexpected = 🤔 Hier habe ich keine Nachricht erwartet. Sende /start, um deine Verbindungen zu sehen.

## Buttons pressed by someone who may not, or that no longer apply.

setup-not-yours = ⛔ Diese Verbindung gehört nicht dir: Nur ihre Admins können sie ändern.
setup-gone = Diese Verbindung gibt es nicht mehr.
setup-stale = Dieser Button ist veraltet. Sende /start.
setup-superadmin-only = ⛔ Das kann nur der Betreiber dieser Hotline-Instanz.

## A new connection: the frontend.

setup-new-type =
    Wem sollen deine Kunden schreiben?

    🤖 Einem Bot: Du erstellst ihn bei @BotFather und gibst mir sein Token.
    👤 Einem Telegram-Konto: deinem eigenen oder einem eigens für den Support.
button-connect-bot = 🤖 Bot verbinden
button-connect-account = 👤 Konto verbinden
setup-account-kinds =
    👤 An welches Konto sollen deine Kunden schreiben?

    💼 Telegram Business: dein eigenes Konto, mit Telegram Premium. Ein Bot von dir bearbeitet dessen Chats im Namen des Kontos, und das Team antwortet über ihn als das Konto.
    📱 Ein beliebiges Telegram-Konto (per QR-Code oder Telefonnummer): auf dieser Instanz noch nicht verfügbar.
button-connect-business = 💼 Telegram Business
setup-ask-token =
    🔑 Schick mir das Token deines Bots.

    Erstelle bei @BotFather mit /newbot einen Bot (oder öffne /mybots → dein Bot → API Token) und füge das Token hier ein. Es sieht so aus: 123456789:AAH4f…

    Nimm einen Bot, der nur für den Helpdesk da ist: Hotline liest jede Nachricht, die er empfängt.
setup-token-format = ⚠️ Das ist kein Bot-Token. Ein Token sieht so aus: 123456789:AAH4f… — kopiere es bei @BotFather und sende es noch einmal.
setup-token-rejected = ⚠️ Telegram hat dieses Token abgelehnt: Es ist falsch oder wurde widerrufen. Hol dir das aktuelle Token bei @BotFather (/mybots → dein Bot → API Token) und sende es noch einmal.
setup-token-taken = ⚠️ @{ $bot } ist bereits verbunden (Verbindung { $id }). Öffne sie über /start oder sende das Token eines anderen Bots.
setup-token-no-groups = ⚠️ @{ $bot } kann nicht zu Gruppen hinzugefügt werden. Öffne bei @BotFather /mybots → @{ $bot } → Bot Settings → Allow Groups, schalte es ein und sende das Token dann noch einmal.
setup-token-own = ⚠️ Das ist das Token dieses Einrichtungsbots selbst. Schick mir das Token des Bots, an den deine Kunden schreiben.
setup-token-linking = ⚠️ Jemand anderes verbindet @{ $bot } gerade. Bitte diese Person, den Vorgang abzuschließen oder abzubrechen, und schick das Token dann noch einmal.
setup-telegram-error = ⚠️ Telegram hat nicht geantwortet ({ $error }). Bitte versuch es in einer Minute noch einmal.
setup-token-deleted = 🔐 Ich habe deine Nachricht mit dem Token gelöscht, damit es nicht in diesem Chat stehen bleibt.

## A new connection: the backend group.

setup-link-group =
    ✅ Bot @{ $bot } akzeptiert.

    Verknüpfe jetzt die Team-Gruppe: eine Supergruppe mit aktivierten Themen, in der dein Team antwortet. @{ $bot } muss dort Administrator sein, mit den Rechten, Themen zu verwalten, Nachrichten zu löschen, Nachrichten anzuheften und Nutzer zu sperren.

    Am einfachsten: Tippe auf „Gruppe auswählen“ und dann in @{ $bot } auf „Starten“. Der Bot zeigt dir einen Button zur Auswahl der Gruppe und tritt ihr mit den nötigen Rechten bei.
    Oder tippe auf „Zu Gruppe hinzufügen“ und wähle die Gruppe in Telegram aus.
button-pick-group = 👥 Gruppe auswählen
button-add-to-group = ➕ Zu Gruppe hinzufügen
setup-picker-prompt = 👇 Tippe auf den Button unten und wähle die Forumgruppe für den Helpdesk. Ich trete ihr als Administrator mit den Rechten bei, die ich brauche.
button-picker = 👥 Gruppe auswählen
setup-picker-received = ✅ Alles klar. Der Einrichtungsbot @{ $setup } sagt dir, wie es weitergeht.
setup-group-not-forum = ⚠️ „{ $group }“ ist kein Forum. Aktiviere Themen in den Gruppeneinstellungen und wähle die Gruppe dann noch einmal aus.
setup-group-not-found = ⚠️ @{ $bot } sieht diese Gruppe nicht. Füge den Bot der Gruppe als Administrator hinzu und wähle die Gruppe dann noch einmal aus.
setup-group-not-admin = ⚠️ @{ $bot } ist in „{ $group }“, aber kein Administrator. Mach den Bot zum Administrator mit den Rechten, Themen zu verwalten, Nachrichten zu löschen, Nachrichten anzuheften und Nutzer zu sperren, und wähle die Gruppe dann noch einmal aus.
setup-group-missing-rights = ⚠️ @{ $bot } ist Administrator von „{ $group }“, aber ihm fehlen diese Rechte: { $rights }. Erteile sie in den Administratoreinstellungen der Gruppe und wähle die Gruppe dann noch einmal aus.
setup-group-no-ban = ℹ️ @{ $bot } kann in „{ $group }“ keine Nutzer sperren. Alles funktioniert, aber gib ihm dieses Recht, wenn du Spammer aus der Gruppe entfernen willst.
right-manage-topics = Themen verwalten
right-delete-messages = Nachrichten löschen
right-pin-messages = Nachrichten anheften
setup-connected =
    🎉 Verbunden! @{ $bot } antwortet jetzt deinen Kunden, und in „{ $group }“ bekommt jeder von ihnen ein eigenes Thema.

    Probier es aus: Öffne @{ $bot } und sende eine beliebige Nachricht, wie es ein Kunde tun würde. In der Gruppe öffnet sich ein Thema mit deinem Namen, und du bekommst die Begrüßungsnachricht. Antworte in diesem Thema: Die Antwort kommt über @{ $bot } zurück.

## The connection card.

setup-card =
    🔌 { $name }

    Bot: @{ $bot }
    Gruppe: { $group }
    Status: { $status }
    ID: { $id }
    API-Schlüssel: { $key }
    Tarif: { $plan }
status-running = 🟢 läuft
status-stopped = ⏸ gestoppt
status-starting = ⏳ startet
status-error-token = 🔴 Fehler: Telegram lehnt das Bot-Token ab (in @BotFather widerrufen?)
status-error-other = 🔴 Fehler: schlägt wiederholt fehl und startet von selbst neu (Details im Log der Instanz)
status-error-rights = 🔴 Fehler: Dem Bot fehlen diese Rechte in der Gruppe: { $rights }. Erteile sie in den Administrator-Einstellungen der Gruppe.
status-error-not-in-group = 🔴 Fehler: Der Bot ist nicht mehr in der Gruppe. Füge ihn wieder als Administrator hinzu.
status-error-key = 🔴 Fehler: Das Bot-Token lässt sich nicht entschlüsseln: Der Schlüssel dieser Hotline-Instanz hat sich geändert. Ihr Betreiber muss data_dir/secret.key (oder encryption_key) aus der Sicherung wiederherstellen und sie neu starten.
setup-card-error = Letzter Fehler: { $error }
setup-alert-rights = ⚠️ { $name }: Der Bot hat Rechte verloren, die er in der Gruppe braucht: { $rights }. Die Nachrichten der Kunden bleiben erhalten und erscheinen, sobald du die Rechte in den Administrator-Einstellungen der Gruppe erteilst.
setup-alert-not-in-group = ⚠️ { $name }: Der Bot wurde aus der Gruppe entfernt. Die Nachrichten der Kunden bleiben erhalten und erscheinen, sobald du ihn wieder als Administrator hinzufügst.
setup-alert-fixed = ✅ { $name }: Der Bot hat wieder alle Rechte, die er in der Gruppe braucht.
setup-alert-plan = ℹ️ { $name } ist jetzt im Tarif { $plan }. Das ändert sich: { $changes }
setup-alert-plan-nothing = ℹ️ { $name } ist jetzt im Tarif { $plan }. Deine Parameter bleiben, wie sie sind.
plan-free = kostenlos
plan-paid = kostenpflichtig
button-params = ⚙️ Parameter
button-roles = 👥 Rollen
button-team-language = 🌐 Sprache des Teams
button-stop = ⏸ Stoppen
button-start = ▶️ Starten
button-reset-key = 🔑 API-Schlüssel erneuern
button-delete = 🗑 Löschen
button-grant-paid = 💎 Bezahltarif gewähren
button-set-free = Kostenlosen Tarif setzen
setup-stopped = ⏸ Gestoppt: Hotline liest die Nachrichten dieses Bots nicht mehr. Telegram bewahrt sie etwa 24 Stunden auf; starte die Verbindung wieder, um sie zu verarbeiten.
setup-started = ▶️ Gestartet.
setup-key-reset = 🔑 Neuer API-Schlüssel ausgestellt. Der alte funktioniert nicht mehr.
setup-delete-confirm = ⚠️ „{ $name }“ löschen? Hotline vergisst die Kunden, Dialoge, Parameter und Rollen dieser Verbindung. Bot und Gruppe bleiben in Telegram, wie sie sind. Das lässt sich nicht rückgängig machen.
button-delete-confirm = 🗑 Ja, löschen
setup-deleted = 🗑 „{ $name }“ wurde gelöscht.
setup-team-language-choose = 🌐 Die Sprache der Team-Texte in der Gruppe: /help, Hinweise und das Kundenprofil.
setup-team-language-set = ✅ Sprache der Team-Texte: { $language }.
setup-plan-set = ✅ Der Tarif von „{ $name }“ ist jetzt { $plan }.
setup-all =
    🗂 Verbindungen auf dieser Instanz: { $count }.
    Wähle eine aus, um sie anzusehen oder ihren Tarif zu ändern.

## Parameters.

setup-params = ⚙️ Parameter von „{ $name }“. Wähle einen aus, um zu sehen, was er bewirkt, und ihn zu ändern.
setup-param =
    ⚙️ { $param }

    { $description }

    Aktueller Wert: { $value }

    Sende den neuen Wert als Nachricht.
setup-param-paid = 💎 Nur im Bezahltarif.
setup-param-inactive = ℹ️ Wird gespeichert und geprüft; diese Instanz wendet ihn aber noch nicht an.
setup-param-empty = (keiner)
setup-param-changed = ✅ { $param } ist jetzt: { $value }
button-off = OFF
param-welcome = Wird dem Kunden beim Erstkontakt geschickt und bei seiner ersten Nachricht, nachdem der Dialog geschlossen wurde. Telegram-Formatierung funktioniert; {"{"}title{"}"} wird durch den Namen des Kunden ersetzt. OFF schaltet die Begrüßung ab (Bezahltarif; im kostenlosen Tarif wird die Zeile „Dieser Support läuft über Hotline“ angehängt).
param-autoclose = Der Dialog schließt sich von selbst, wenn der Kunde so viele Stunden nach der letzten Antwort des Teams nichts Neues geschrieben hat. Eine ganze Zahl ab 1; OFF: nie (Bezahltarif). Im kostenlosen Tarif höchstens 48.
param-auto-info = Das Kundenprofil beim Erstellen eines Themas dort posten: on oder off.
param-extensions-allowed = Wer die Module (Rundnachrichten, Tags, Export, Analysen) nutzen und ausgeblendete Kundenprofile erhalten darf: Nutzer-IDs, durch Kommas getrennt, oder . für alle Mitglieder der Gruppe. Diese Personen sind Supervisoren.
param-silent-mode = on: Kunden erfahren nicht, wenn ihre Nachricht nicht zugestellt werden konnte. off: Sie bekommen einen kurzen Hinweis.
param-ignore-chats = Chats, deren Nachrichten verworfen werden: IDs, durch Kommas getrennt. /ban trägt Kunden hier ein; 777000 ist das Dienstkonto von Telegram.
param-white-list = Wenn gesetzt, werden nur diese Chats weitergeleitet: IDs, durch Kommas getrennt. OFF: alle.
param-hide-info = Kundendaten vor Operatoren verbergen (Bezahltarif), beliebig kombinierbar: name (Themen und Profile zeigen ein Pseudonym), command (/info geht privat an Supervisoren), link (kein Benutzername), title (keine Gruppentitel).
param-reply-only = on: Nur Nachrichten des Teams, die auf eine Kundennachricht antworten, werden zugestellt; alles andere bleibt als interner Kommentar im Thema.
param-leave-closed = Arten von Themen, die bei neuen Nachrichten geschlossen bleiben (Bezahltarif): private, group, channel. Neue Themen dieser Arten werden geschlossen erstellt, ohne Begrüßung; eine Antwort des Teams öffnet sie wieder.
param-private-keywords = Ein neuer oder geschlossener privater Dialog öffnet sich nur, wenn eine Nachricht passt. Einträge werden durch Kommas getrennt, einer genügt: "Wort" passt, wenn die Nachricht es enthält, ["W1", "W2"] verlangt alle, ~Wort bedeutet „enthält nicht“. OFF: jede Nachricht.
param-groups-keywords = Wie PRIVATE_KEYWORDS, für überwachte Gruppen.
param-channels-keywords = Wie PRIVATE_KEYWORDS, für überwachte Kanäle.
param-restricted-keywords-frontend = Kundennachrichten, die eines dieser Wörter enthalten, werden nicht weitergeleitet: Wörter, durch Kommas getrennt. OFF: Alles wird weitergeleitet.
param-monitor-private = on: private Chats mit dem Bot weiterleiten (der übliche Helpdesk).
param-monitor-groups = on: ein Thema je Gruppe, in der der Bot ist; das Team kann von dort in die Gruppe schreiben.
param-monitor-channels = on: ein Thema je Kanal, in dem der Bot ist.
param-webhooks = Ereignisse als JSON per POST an deine URLs senden (Bezahltarif): {"{"}"https://example.com/hook": ["dialog_created", "message_received", "/order"]{"}"}. Ereignisse: dialog_created, dialog_reopened, dialog_closed, message_received, message_sent oder ein /Befehl.
param-custom-commands = Befehle, die Hotline in Themen ignoriert, weil ein anderer Bot sie beantwortet, durch Kommas getrennt: /order, /refund.
param-icon-color = Die Symbolfarbe neuer Themen: blue, yellow, violet, green, rose oder red (oder ihr Hex-Code, etwa 6FB9F0).

## Why a value was refused. Nothing was changed.

error-blank = ⚠️ Der Wert ist leer. Sende OFF, um ihn zu löschen.
error-too-long = ⚠️ Zu lang: { $len } Zeichen, höchstens { $max }.
error-unclosed-quote = ⚠️ Ein Anführungszeichen wird nicht geschlossen: { $fragment }
error-stray-quote = ⚠️ Ein Anführungszeichen mitten im Wort: { $fragment }. Setz den ganzen Eintrag in Anführungszeichen: "zwei Wörter".
error-text-after-quote = ⚠️ Nach einem schließenden Anführungszeichen folgt noch etwas: { $fragment }. Trenne die Einträge durch Kommas.
error-empty-item = ⚠️ Eintrag { $position } ist leer: zwei Kommas hintereinander oder ein Komma am Anfang oder Ende.
error-empty-word = ⚠️ Ein leeres Wort: { $fragment }
error-unclosed-bracket = ⚠️ Eine eckige Klammer [ wird nicht geschlossen: { $fragment }
error-empty-bracket = ⚠️ Leere Klammern: { $fragment }. Setz die Wörter hinein: ["W1", "W2"].
error-nested-bracket = ⚠️ Klammern dürfen nicht verschachtelt werden: { $fragment }
error-text-after-bracket = ⚠️ Nach einer schließenden Klammer folgt noch etwas: { $fragment }. Trenne die Einträge durch Kommas.
error-stray-bracket = ⚠️ Eine Klammer, wo keine stehen darf: { $fragment }
error-not-on-off = ⚠️ „{ $fragment }“ ist weder on noch off.
error-not-an-id = ⚠️ „{ $fragment }“ ist keine Telegram-ID (eine ganze Zahl wie 123456789).
error-not-hours = ⚠️ „{ $fragment }“ ist keine ganze Stundenzahl.
error-hours-range = ⚠️ { $fragment } liegt außerhalb des Bereichs: { $min } bis { $max } Stunden.
error-unknown-option = ⚠️ „{ $fragment }“ ist keine der Optionen: { $allowed }.
error-not-a-command = ⚠️ „{ $fragment }“ ist kein Befehl: Verwende 1 bis 32 lateinische Buchstaben, Ziffern oder _ (etwa /order).
error-reserved-command = ⚠️ { $fragment } ist ein Befehl von Hotline selbst und kann keinem anderen Bot überlassen werden.
error-unknown-color = ⚠️ „{ $fragment }“ ist keine Themenfarbe. Verwende blue, yellow, violet, green, rose oder red.
error-json = ⚠️ Fehler im JSON bei „{ $fragment }“: Dort wurde { $expected } erwartet.
json-string = ein "Text" in Anführungszeichen
json-escape = eine gültige Escape-Sequenz wie \n
json-end = das Ende des Textes
error-bad-url = ⚠️ „{ $fragment }“ ist keine http- oder https-Adresse.
error-unknown-event = ⚠️ „{ $fragment }“ ist weder ein Ereignis (dialog_created, dialog_reopened, dialog_closed, message_received, message_sent) noch ein /Befehl.
error-duplicate-url = ⚠️ { $fragment } kommt zweimal vor.
error-no-events = ⚠️ { $fragment } hat keine Ereignisse: Gib mindestens eines an.
error-reserved-word = ⚠️ Die Begrüßung darf nicht nur aus „{ $fragment }“ bestehen. Sende OFF, um sie abzuschalten.
refused-welcome-off = 💎 Im kostenlosen Tarif lässt sich die Begrüßung nicht abschalten. Ändere stattdessen ihren Text oder bitte den Betreiber dieser Instanz um den Bezahltarif.
refused-autoclose = 💎 Im kostenlosen Tarif beträgt AUTOCLOSE höchstens { $max } Stunden. Sende eine Zahl von 1 bis { $max } oder bitte den Betreiber dieser Instanz um den Bezahltarif.
refused-paid-only = 💎 { $param } gibt es nur im Bezahltarif. Bitte den Betreiber dieser Instanz, ihn freizuschalten.

## Roles.

setup-roles =
    👥 Rollen in „{ $name }“

    { $list }

    Alle anderen in der Gruppe: { $default }.

    Admins verwalten die Verbindung hier; Supervisoren nutzen zusätzlich die Module; Operatoren antworten Kunden; Beobachter lesen nur mit.
setup-role-line = • { $who }: { $role }
button-add-member = ➕ Mitglied hinzufügen
button-default-role = Alle anderen: { $role }
button-revoke = ✖️ { $who }
setup-add-member = 👤 Wen? Leite mir eine beliebige Nachricht der Person weiter, oder schick mir ihren @username (sie muss schon in der Gruppe geschrieben haben) oder ihre numerische Telegram-ID.
setup-member-hidden = ⚠️ Diese Person verbirgt ihr Konto in weitergeleiteten Nachrichten, daher kann ich nicht erkennen, wer es ist. Schick mir stattdessen ihren @username oder ihre numerische ID.
setup-member-unknown = ⚠️ Ich habe @{ $username } noch nicht in der Gruppe gesehen. Bitte die Person, dort etwas zu schreiben, oder schick mir ihre numerische ID.
setup-member-bad = ⚠️ Leite eine Nachricht weiter oder sende einen @username oder eine numerische ID.
setup-member-pick-role = Welche Rolle bekommt { $who }?
setup-role-set = ✅ { $who }: { $role }.
setup-role-revoked = ✅ { $who } hat jetzt keine eigene Rolle mehr: { $default }, wie alle anderen.
setup-last-admin = ⚠️ Die Verbindung hätte dann keinen Admin mehr. Mach zuerst jemand anderen zum Admin.
setup-default-admin = ⚠️ Admin kann nicht die Standardrolle sein: Sonst könnte jedes Gruppenmitglied die Verbindung verwalten. Vergib die Admin-Rolle einzeln über „Mitglied hinzufügen“.
setup-contended = ⚠️ Die Einstellungen wurden im selben Moment an anderer Stelle geändert. Es wurde nichts geändert; bitte versuch es noch einmal.
setup-default-role-choose = Die Rolle der Gruppenmitglieder ohne eigene Rolle:
setup-default-role-set = ✅ Alle anderen in der Gruppe: { $role }.

## Something went wrong on our side (details are in the instance's log).

setup-failed = ⚠️ Bei uns ist etwas schiefgelaufen. Bitte versuch es noch einmal; wenn es weiter fehlschlägt, sag dem Betreiber dieser Instanz Bescheid.

## Templates of a connection (the card's Templates button).

button-templates = 📄 Vorlagen
button-template-new = ➕ Neue Vorlage
button-template-save = 💾 Speichern
button-template-preview = 👁 Vorschau
button-template-rename = ✏️ Umbenennen
setup-templates = 📄 Vorlagen von { $name }: { $list }

    Dein Team schickt eine Vorlage mit /send NAME im Thema des Kunden an diesen Kunden oder mit /send in General an viele Kunden.
setup-templates-none = 📄 { $name } hat noch keine Vorlagen. Tippe auf „Neue Vorlage“, schick mir ihre Nachrichten und tippe dann auf „Speichern“.
setup-template = 📄 Vorlage { $name }: { $count ->
        [one] eine Nachricht
       *[other] { $count } Nachrichten
    }.
    { $begins }
setup-template-record = 📝 Schick mir die Nachrichten der neuen Vorlage: Text, Fotos, Videos, Dateien, Sprachnachrichten, Alben – höchstens { $max }. Tippe dann auf „Speichern“.
setup-template-got = 📝 Bisher { $count ->
        [one] eine Nachricht
       *[other] { $count } Nachrichten
    }. Schick weitere oder tippe auf „Speichern“.
setup-template-empty = Schick mir zuerst mindestens eine Nachricht.
setup-template-full = ❌ Eine Vorlage hat höchstens { $max } Nachrichten: Tippe auf „Speichern“, um diese zu behalten.
setup-template-ask-name = 📝 Wie soll die Vorlage heißen? Zuerst ein lateinischer Buchstabe, dann Buchstaben, Ziffern, - und _, höchstens 32 Zeichen (zum Beispiel: willkommen).
setup-template-ask-rename = ✏️ Wie soll { $name } ab jetzt heißen?
setup-template-delete-confirm = 🗑 Die Vorlage { $name } löschen? Tags, die sie senden, senden sie dann nicht mehr.
setup-template-gone = Diese Vorlage gibt es nicht mehr.
setup-template-carry-failed = ❌ Telegram hat die Dateien der Vorlage nicht angenommen ({ $error }). Nichts wurde gespeichert: Schick den Namen noch einmal, um es erneut zu versuchen.
setup-template-preview-failed = ❌ Die Vorschau konnte nicht gesendet werden ({ $error }).

## Telegram Business.

setup-business-ask-token =
    💼 Telegram Business (erfordert Telegram Premium)

    1. Öffne bei @BotFather /mybots → dein Bot → Bot Settings → Business Mode und schalte ihn ein (hast du noch keinen Bot, erstelle zuerst einen mit /newbot).
    2. Schick mir hier das Token dieses Bots.

    Danach bitte ich dich, den Bot in Telegram mit deinem Konto zu verbinden und die Forumsgruppe des Teams zu verknüpfen.
setup-business-mode-off = ⚠️ Bei @{ $bot } ist Business Mode aus, deshalb lässt Telegram ihn nicht mit einem Konto verbinden. Schalte ihn bei @BotFather ein (/mybots → @{ $bot } → Bot Settings → Business Mode) und schick das Token noch einmal.
setup-business-connect =
    ✅ @{ $bot } ist bereit für Telegram Business.

    Jetzt in Telegram auf dem Konto, an das deine Kunden schreiben (es braucht Telegram Premium): Einstellungen → Telegram Business → Chatbots → @{ $bot } eingeben, die Chats wählen, in denen er arbeiten darf, und ihm erlauben, auf Nachrichten zu antworten.

    Ich warte, bis Telegram die Verbindung bestätigt.
setup-business-connected = ✅ { $account } hat @{ $bot } verbunden. Erlaubt: { $rights }
setup-business-off = ⚠️ { $account } hat @{ $bot } in Telegram abgeschaltet. Um weiterzumachen, verbinde ihn wieder unter Einstellungen → Telegram Business → Chatbots.
setup-business-first = ⏳ Verbinde @{ $bot } zuerst mit deinem Konto (Einstellungen → Telegram Business → Chatbots). Ich prüfe die Gruppe, sobald Telegram die Verbindung bestätigt.
setup-card-business =
    Konto: { $account } (Telegram Business)
    Erlaubt: { $rights }
setup-card-business-off = ⚠️ { $account } hat den Bot in Telegram getrennt: Nachrichten an das Konto erreichen das Team nicht. Verbinde ihn wieder unter Einstellungen → Telegram Business → Chatbots.
setup-business-ready =
    🎉 Verbunden! Kunden, die { $account } schreiben, erreichen jetzt dein Team: In „{ $group }“ bekommt jeder von ihnen ein eigenes Thema, und @{ $bot } antwortet ihnen als { $account }.

    Probier es aus: Schreib { $account } von einem anderen Telegram-Konto, wie es ein Kunde tun würde. In der Gruppe öffnet sich ein Thema; antworte dort, und die Antwort kommt von { $account }. Nachrichten an @{ $bot } selbst gehören nicht zu diesem Helpdesk.
