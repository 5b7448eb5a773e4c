### Hotline: every text a Telegram user sees from the Hotline runtime (German).
###
### Register: „Sie“ in every text sent to customers (customer-*, branding-line);
### „du“ in every text for the support team.
### Keep the message ids and variables identical to locales/en/hotline.ftl.

## Team notices posted in a customer's topic.

notice-not-delivered-blocked = ⚠️ Nicht zugestellt: Der Kunde hat den Bot blockiert.
notice-not-delivered-deactivated = ⚠️ Nicht zugestellt: Der Kunde hat sein Telegram-Konto gelöscht.
notice-not-delivered-not-started = ⚠️ Nicht zugestellt: Der Kunde hat den Bot noch nicht gestartet.
notice-not-delivered-too-long = ⚠️ Nicht zugestellt: Die Nachricht ist für Telegram zu lang.
notice-not-delivered-other = ⚠️ Nicht zugestellt: Telegram hat die Nachricht abgelehnt ({ $error }).
notice-not-relayed = ⚠️ Eine Nachricht des Kunden konnte hier nicht angezeigt werden: { $error }.
notice-edit-not-mirrored = ⚠️ Die Änderung hat den Kunden nicht erreicht: { $error }.
notice-orphan-topic = ⚠️ Dieses Thema ist ein Duplikat des Themas von { $name }: Die Antwort von Telegram ging beim Anlegen verloren. Deine Nachricht wurde dem Kunden zugestellt. Bitte schreib im Thema des Kunden weiter: { $link }
notice-unknown-topic = ⚠️ Dieses Thema gehört zu keinem Kunden: Nachrichten von hier werden niemandem zugestellt.
notice-retracted = 🗑 Zurückgezogen: Die Kopie beim Kunden wurde gelöscht.
notice-not-retracted = ⚠️ Die Nachricht konnte nicht zurückgezogen werden: { $error } (Telegram erlaubt das Löschen nur innerhalb von 48 Stunden).
notice-del-needs-reply = ℹ️ Um eine Nachricht zurückzuziehen, die du dem Kunden geschickt hast, antworte darauf mit /del.
notice-closed-by = ⬛ Geschlossen von { $name }.
notice-autoclosed =
    ⬛ Automatisch geschlossen: Seit { $hours ->
        [one] { $hours } Stunde
       *[other] { $hours } Stunden
    } keine Nachricht vom Kunden.
notice-banned = 🚫 { $name } wurde gesperrt: Nachrichten dieses Kunden werden nicht mehr weitergeleitet. Sende /unban, um das rückgängig zu machen.
notice-already-banned = 🚫 Dieser Kunde ist bereits gesperrt.
notice-unbanned = ✅ { $name } wurde entsperrt: Nachrichten dieses Kunden werden wieder weitergeleitet.
notice-not-banned = ℹ️ Dieser Kunde ist nicht gesperrt.
notice-start-payload = ▶️ Der Kunde kam über einen Link mit dem Parameter: { $payload }
notice-unknown-command = ❔ Unbekannter Befehl { $command }. Sende /help, um zu sehen, was du hier tun kannst.

## Commands refused because of who sent them.

refused-observer = 👁 Du hast hier die Rolle Beobachter: Du kannst die Themen lesen, aber deine Befehle werden nicht ausgeführt und deine Nachrichten nicht zugestellt.
refused-needs-supervisor = ⛔ { $command } ist Supervisoren und Admins dieses Helpdesks vorbehalten.
refused-needs-admin = ⛔ { $command } ist Admins dieses Helpdesks vorbehalten.
refused-anonymous = 🕶 Du schreibst anonym im Namen der Gruppe, daher kann Hotline nicht erkennen, wer du bist: Es wurde nichts zugestellt oder ausgeführt. Deaktiviere „Anonym bleiben“ in deinen Administratorrechten, um Kunden zu antworten und Befehle zu nutzen.

## The customer card (/info), one line per message.

card-header = 👤 Kundenprofil
card-name = Name: { $name }
card-username = Benutzername: { $username }
card-id = ID: { $id }
card-language = Sprache: { $language }
card-phone = Telefon: { $phone }
card-first-contact = Erstkontakt: { $date }
card-start-payload = Startparameter: { $payload }
card-dialogs = Dialoge: { $count }
card-tags = Tags: { $tags }
card-tags-none = Tags: keine
card-private-header = 👤 Kundenprofil aus dem Thema „{ $topic }“
card-sent-privately =
    🔒 Kundendaten sind hier ausgeblendet (HIDE_INFO). Das Profil wurde privat an { $count ->
        [one] { $count } berechtigtes Mitglied
       *[other] { $count } berechtigte Mitglieder
    } geschickt.
card-not-sent = 🔒 Kundendaten sind hier ausgeblendet (HIDE_INFO), und das Profil konnte keinem berechtigten Mitglied privat geschickt werden: Wer es sehen darf, muss zuerst den Einrichtungsbot starten.

## /help, built from lines.

help-header = Befehle in diesem Thema — deine Rolle: { $role }
help-close = /close — Dialog schließen ⬛
help-hold = /hold — als „wartet auf das Team“ markieren 🟪
help-wait = /wait — als beantwortet markieren, wartet auf den Kunden 🟨
help-info = /info — Kundenprofil
help-ban = /ban — Nachrichten dieses Kunden nicht mehr weiterleiten
help-unban = /unban — Nachrichten dieses Kunden wieder weiterleiten
help-del = /del — als Antwort auf deine Nachricht: beim Kunden zurückziehen
help-comment = „/ Text“ (Schrägstrich, Leerzeichen) — interner Kommentar, wird nie zugestellt
help-answer = Jede andere Nachricht hier wird dem Kunden zugestellt.
help-answer-reply-only = Nur Antworten auf Nachrichten des Kunden werden zugestellt (REPLY_ONLY); alles andere bleibt hier als Kommentar.
help-observer = Du kannst dieses Thema lesen; deine Nachrichten bleiben hier als Kommentare.
role-admin = Admin
role-supervisor = Supervisor
role-operator = Operator
role-observer = Beobachter

## Sent to the customer in the frontend bot's private chat.

customer-not-delivered = ⚠️ Leider konnte Ihre Nachricht dem Support-Team nicht zugestellt werden. Bitte versuchen Sie es erneut oder senden Sie sie in einer anderen Form.
customer-restricted = ⚠️ Ihre Nachricht wurde nicht zugestellt, da sie Wörter enthält, die in diesem Support-Chat nicht zulässig sind.
branding-line = Dieser Support läuft über Hotline — { $link }
branding-line-plain = Dieser Support läuft über Hotline

## Commands in General, and where a command works.

general-help-header = Team-Befehle in General — deine Rolle: { $role }
general-help-help = /help — diese Liste
general-help-mark = /mark — alle Tags und wie viele Themen jedes hat; /mark NAME — ein Tag und seine Themen
general-help-mark-setup =
    /mark new NAME — ein Tag anlegen (zuerst ein lateinischer Buchstabe, dann Buchstaben, Ziffern, - und _)
    /mark NAME name NEU — umbenennen
    /mark NAME ticker TEXT — einen kurzen Text oder ein Emoji am Ende der Thementitel zeigen (ticker CLEAR entfernt ihn)
    /mark NAME after A,B — wer einem Thema NAME gibt, nimmt ihm A und B, für Funnels (after CLEAR hebt das auf)
    /mark del NAME — aus allen Themen löschen
general-help-topics = Befehle für einen Kunden (/close, /info, /ban, …) funktionieren im Thema dieses Kunden: sende dort /help.
general-help-observer = Du kannst hier mitlesen; deine Befehle werden nicht ausgeführt.
help-help = /help — diese Liste
help-mark = /mark — die Tags dieses Themas; /mark NAME — eins hinzufügen; /mark del NAME — eins entfernen
help-general = Team-Befehle (/mark, die Tag-Einrichtung, /export) funktionieren in General: sende dort /help.
where-topic-only = ↪️ { $command } funktioniert im Thema eines Kunden, nicht in General.
where-general-only = ↪️ { $command } funktioniert in General, nicht im Thema eines Kunden.

## Tags (/mark).

tag-bad-name = ❌ „{ $tag }“ kann kein Tag-Name sein: Ein Name beginnt mit einem lateinischen Buchstaben, danach Buchstaben, Ziffern, - und _, höchstens 32 Zeichen.
tag-reserved-name = ❌ „{ $tag }“ ist ein Wort, das /mark selbst verwendet; wähle einen anderen Namen.
tag-bad-ticker = ❌ Ein Ticker ist ein kurzer Text oder ein Emoji: höchstens 12 Zeichen, in einer Zeile, ohne [ und ].
tag-exists = ❌ Das Tag { $tag } gibt es schon.
tag-unknown = ❌ Das Tag „{ $tag }“ gibt es nicht. Tags: { $tags }
tag-unknown-none = ❌ Das Tag „{ $tag }“ gibt es nicht, und es gibt noch gar keine Tags: Supervisoren und Admins legen sie in General mit /mark new NAME an.
tag-created = 🏷 Tag { $tag } angelegt. Um es einem Thema zu geben, sende dort /mark { $tag }.
tag-renamed = 🏷 Das Tag heißt jetzt { $tag }.
tag-ticker-set = 🏷 Themen mit { $tag } zeigen jetzt [{ $ticker }] am Ende ihres Titels.
tag-ticker-cleared = 🏷 Themen mit { $tag } zeigen keinen Ticker mehr.
tag-after-set = 🏷 Wer einem Thema { $tag } gibt, nimmt ihm jetzt: { $tags }.
tag-after-cleared = 🏷 { $tag } nimmt einem Thema keine anderen Tags mehr.
tag-deleted = 🗑 Tag { $tag } gelöscht. { $count ->
        [0] Kein Thema hatte es.
        [one] { $count } Thema hatte es.
       *[other] { $count } Themen hatten es.
    }
tags-none = 🏷 Noch keine Tags.
tags-none-setup = 🏷 Noch keine Tags. Lege eins an: /mark new NAME
tags-header = 🏷 Tags:
tags-line = { $tag }{ $suffix } — { $count ->
        [one] { $count } Thema
       *[other] { $count } Themen
    }
tag-shown = 🏷 { $tag }{ $suffix } — { $count ->
        [0] noch keine Themen
        [one] { $count } Thema
       *[other] { $count } Themen
    }
tag-shown-after = Nimmt dem Thema: { $tags }
tag-shown-topics = Neueste Themen: { $topics }
tag-usage = ❔ So geht /mark: /mark · /mark NAME · /mark new NAME · /mark NAME name NEU · /mark NAME ticker TEXT|CLEAR · /mark NAME after A,B|CLEAR · /mark NAME sends VORLAGE|CLEAR · /mark del NAME
topic-tags = 🏷 Tags dieses Themas: { $tags }
topic-tags-none = 🏷 Dieses Thema hat keine Tags. Eins hinzufügen: /mark NAME
topic-tag-added = 🏷 { $tag } hinzugefügt.
topic-tag-added-removed = 🏷 { $tag } hinzugefügt; entfernt: { $tags }.
topic-tag-already = 🏷 Dieses Thema hat { $tag } schon.
topic-tag-removed = 🏷 { $tag } entfernt.
topic-tag-absent = 🏷 Dieses Thema hat { $tag } nicht.

## Customer export (/export).

general-help-export = /export — alle Kunden als CSV- und XLSX-Datei; /export TAG — nur die mit diesem Tag
export-columns = ID,Vorname,Nachname,Benutzername,Sprache,Telefon,Erster Kontakt,Letzter Kontakt,Tags,Dialoge,Status
export-status-waiting = wartet auf das Team
export-status-answered = beantwortet
export-status-closed = geschlossen
export-status-none = kein Dialog
export-status-unreachable = nicht erreichbar
export-caption = 📤 Kunden: { $count }
export-caption-tag = 📤 Kunden mit { $tag }: { $count }
export-truncated = ⚠️ Nur die ersten { $count } Kunden sind aufgeführt: Mehr fasst ein Export nicht.
export-hidden = 🔒 Kundendaten sind in dieser Gruppe ausgeblendet (HIDE_INFO), daher wird hier kein Export gepostet.

## Opening a dialog from General (/new).

general-help-new = /new @Benutzername oder /new ID — das Thema eines Kunden öffnen, um ihm zuerst zu schreiben (er muss den Bot gestartet haben)
new-usage = ❔ /new @Benutzername oder /new ID; teilen sich mehrere Bots diese Gruppe, füge i und die Nummer der Verbindung an (i7).
new-never-started = ❌ { $who } hat @{ $bot } nicht gestartet: Ein Bot kann niemandem zuerst schreiben, der ihn nie gestartet hat. Es wurde nichts angelegt.
new-unreachable = ❌ { $name } hat @{ $bot } blockiert oder sein Konto gelöscht: Nichts würde ankommen. Es wurde nichts angelegt.
new-other-connection = ❌ In dieser Gruppe gibt es keine Verbindung { $connection }.
new-open = 💬 { $name } hat schon ein offenes Thema: { $link }
new-opened = 🆕 Ein Thema für { $name } ist offen: Schreib dort, dann kommt es bei ihm an.
new-reopened = 🆕 Das Thema von { $name } ist wieder offen: { $link }

## Templates: /template in General, /send NAME in a topic
template-usage = ❔ Vorlagen: /template — die Liste · /template new NAME — als Antwort auf eine Nachricht speichert sie diese; ohne Antwort die Nachrichten, die du danach schickst, bis /template save (oder /template cancel) · /template NAME — zeigt sie · /template NAME name NEU · /template del NAME. Im Thema eines Kunden schickt /send NAME sie ab.
template-list = 📄 Vorlagen: { $templates }
template-none = 📄 Noch keine Vorlagen. Speichere eine in General: /template new NAME als Antwort auf eine Nachricht.
template-bad-name = ❌ „{ $name }“ kann kein Vorlagenname sein: Ein Name beginnt mit einem lateinischen Buchstaben, danach Buchstaben, Ziffern, - und _, höchstens 32 Zeichen.
template-exists = ❌ Die Vorlage { $name } gibt es schon.
template-unknown = ❌ Die Vorlage „{ $name }“ gibt es nicht. Vorlagen: { $templates }
template-unknown-none = ❌ Die Vorlage „{ $name }“ gibt es nicht, und es gibt noch gar keine Vorlagen: Supervisoren und Admins speichern sie in General mit /template new NAME.
template-saved = 📄 Vorlage { $name } gespeichert ({ $count ->
        [one] eine Nachricht
       *[other] { $count } Nachrichten
    }). Im Thema eines Kunden: /send { $name }
template-recording = ⏺ Ich nehme die Vorlage { $name } auf: Schick ihre Nachrichten hierher (Text, Medien, Alben), dann /template save — oder /template cancel.
template-not-recording = ❔ Du nimmst gerade keine Vorlage auf. Fang mit /template new NAME an.
template-nothing-yet = ❔ Noch nichts aufgenommen: Schick zuerst die Nachrichten von { $name }, dann /template save.
template-cancelled = ⏹ Aufnahme von { $name } abgebrochen; nichts gespeichert.
template-unsupported = ❌ Diese Nachricht kann nicht Teil einer Vorlage sein: Text, Medien, Alben, Standorte, Kontakte und Würfel gehen; Umfragen, Spiele und Dienstnachrichten nicht.
template-too-long = ❌ Eine Vorlage fasst höchstens { $max } Nachrichten, und diese ist voll: Schick /template save, um sie zu behalten.
template-renamed = 📄 Die Vorlage heißt jetzt { $name }.
template-deleted = 🗑 Vorlage { $name } gelöscht.
send-usage = ❔ /send NAME schickt diesem Kunden eine gespeicherte Vorlage. Vorlagen: { $templates }
send-usage-none = ❔ /send NAME schickt diesem Kunden eine gespeicherte Vorlage, aber es gibt noch keine Vorlagen.
tag-sends-set = 🏷 Wer einem Thema { $tag } gibt, schickt dem Kunden jetzt die Vorlage { $template }.
tag-sends-cleared = 🏷 { $tag } schickt keine Vorlage mehr.
tag-shown-sends = Schickt die Vorlage: { $template }
help-send = /send NAME — dem Kunden eine gespeicherte Vorlage schicken
general-help-template = /template — Vorlagen speichern, zeigen, umbenennen und löschen

## Broadcasts: /send in General
general-help-send = /send PUBLIKUM [VORLAGE] — ein Rundversand: test, all, tag:NAME oder Nutzer-IDs; als Antwort auf die zu sendende Nachricht oder mit einer Vorlage
bc-usage = ❔ /send PUBLIKUM [VORLAGE], als Antwort auf die Nachricht, die verschickt werden soll, oder mit dem Namen einer Vorlage. PUBLIKUM: test (du selbst), all, tag:NAME oder Nutzer-IDs (1,2,3). Für eine Text- oder CSV-Datei mit IDs häng sie mit /send [VORLAGE] als Beschriftung an.
bc-bad-audience = ❌ „{ $word }“ ist kein Publikum: Nimm test, all, tag:NAME oder Nutzer-IDs.
bc-too-many = ❌ Ein Rundversand geht an höchstens { $max } Personen.
bc-needs-content = ❔ Was soll verschickt werden? Schick den Befehl als Antwort auf die Nachricht oder nenne nach dem Publikum eine Vorlage.
bc-file-bad-lines = ❌ Einige Zeilen der Datei sind keine Nutzer-IDs (Zeilen { $lines }). Jede Zeile beginnt mit einer ID; eine Kopfzeile ist in Ordnung. Es wurde nichts gestartet.
bc-file-empty = ❌ Die Datei enthält keine Nutzer-IDs. Es wurde nichts gestartet.
bc-file-unreadable = ❌ Die Datei ließ sich nicht lesen ({ $error }). Es wurde nichts gestartet.
bc-test-not-started = ❌ Um einen Rundversand an dir selbst auszuprobieren, starte zuerst @{ $bot }: Ein Bot kann nur Leuten schreiben, die ihn gestartet haben.
bc-empty = ❌ Niemand zum Anschreiben: In { $audience } ist niemand erreichbar.
bc-preview = 📣 Rundversand #{ $id } an { $audience }: { $count ->
        [one] eine Person
       *[other] { $count } Personen
    }. Inhalt: { $content }.
bc-content-template = die Vorlage { $template } ({ $count ->
        [one] eine Nachricht
       *[other] { $count } Nachrichten
    })
bc-content-message = die beantwortete Nachricht
bc-quota = Kostenloser Tarif: Diesen Monat sind noch { $left } von { $limit } Nachrichten übrig.
bc-quota-cut = Diesen Monat können nur { $left } verschickt werden; die übrigen { $cut } werden als nicht verschickt gemeldet.
bc-quota-none = Die { $limit } Nachrichten des kostenlosen Tarifs für diesen Monat sind aufgebraucht: Vor nächstem Monat kann nichts verschickt werden.
bc-confirm = Drück Starten zum Verschicken, oder Abbrechen.
bc-button-start = ▶️ Starten
bc-button-cancel = ✖️ Abbrechen
bc-button-pause = ⏸ Pause
bc-button-resume = ▶️ Fortsetzen
bc-state-draft = nicht gestartet
bc-state-running = wird verschickt
bc-state-paused = pausiert
bc-state-cancelled = abgebrochen
bc-state-done = fertig
bc-progress = 📣 Rundversand #{ $id } an { $audience } — { $state }
    Verschickt: { $sent } · fehlgeschlagen: { $failed } · übrig: { $left }
bc-rate = { $rate } pro Sekunde, noch etwa { $eta }
bc-not-sent = Nicht verschickt: { $unsent } (über dem Kontingent des Tarifs, abgebrochen oder durch einen Neustart unterbrochen).
bc-report-caption = 📣 Rundversand #{ $id }: { $sent } verschickt, { $failed } fehlgeschlagen, { $unsent } nicht verschickt.
bc-col-user = Nutzer-ID
bc-col-name = Name
bc-col-username = Benutzername
bc-col-status = Status
bc-col-error = Fehler
bc-status-pending = wartet
bc-status-sending = wird verschickt
bc-status-sent = verschickt
bc-status-failed = fehlgeschlagen
bc-status-unknown = unterbrochen: vielleicht nicht angekommen
bc-status-over-quota = nicht verschickt: über dem Kontingent des Tarifs
bc-status-cancelled = nicht verschickt: abgebrochen
bc-answer-started = Gestartet.
bc-answer-paused = Pausiert.
bc-answer-resumed = Fortgesetzt.
bc-answer-cancelled = Abgebrochen.
bc-answer-stale = Dieser Rundversand ist schon { $state }.
bc-answer-not-here = Dieser Knopf gehört nicht zu dieser Nachricht.
notice-not-delivered-window = ⚠️ Nicht zugestellt: Über ein Telegram-Business-Konto kann das Team nur innerhalb von 24 Stunden nach der letzten Nachricht des Kunden antworten. Schick sie noch einmal, sobald er wieder schreibt.
notice-not-delivered-no-right = ⚠️ Nicht zugestellt: Das Business-Konto erlaubt dem Bot das nicht (Telegram → Einstellungen → Telegram Business → Chatbots).
notice-not-delivered-disconnected = ⚠️ Nicht zugestellt: Das Business-Konto hat den Bot getrennt. Verbinde ihn wieder unter Telegram → Einstellungen → Telegram Business → Chatbots.
notice-not-delivered-not-recipient = ⚠️ Nicht zugestellt: Das Business-Konto lässt den Bot nicht in diesen Chat (prüfe die gewählten Chats unter Telegram → Einstellungen → Telegram Business → Chatbots).
notice-not-relayed-kind = ⚠️ Der Kunde hat etwas gesendet, das über ein Telegram-Business-Konto nicht angezeigt werden kann ({ $kind }). Öffne den Chat in der Telegram-App des Kontos, um es zu sehen.
notice-deleted-in-chat = 🗑 Diese Nachricht wurde aus dem Chat mit dem Kunden gelöscht.
notice-owner-wrote = 👤 { $account } (aus der Telegram-App):
write-first-refused = ⛔ Ein Telegram-Business-Konto kann nicht zuerst schreiben: Telegram erlaubt ihm nur, Personen zu antworten, die in den letzten 24 Stunden geschrieben haben. Das Gespräch beginnt der Kunde; antworte ihm in seinem Thema.
alert-business-disabled = ⚠️ { $account } hat @{ $bot } in Telegram getrennt (Einstellungen → Telegram Business → Chatbots). Nachrichten an das Konto erreichen das Team nicht mehr, bis der Bot wieder verbunden ist.
alert-business-enabled = ✅ { $account } hat @{ $bot } wieder verbunden. Erlaubt: { $rights }
alert-business-rights = ℹ️ { $account } hat geändert, was @{ $bot } darf. Jetzt erlaubt: { $rights }
alert-business-right-reply = auf Nachrichten antworten
alert-business-right-read = Nachrichten als gelesen markieren
alert-business-right-delete-sent = eigene Nachrichten löschen
alert-business-right-delete-all = alle Nachrichten löschen
alert-business-rights-none = nichts
alert-business-no-reply = Ohne „auf Nachrichten antworten“ kann das Team Kunden nicht antworten
