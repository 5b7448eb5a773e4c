//! Unit tests of the dialog state machine.

use super::*;
use proptest::prelude::*;

use Effect::{
    CloseTopic, CreateTopic, NotActivated, RecordOnly, Relay, Rename, ReopenTopic, SendWelcome,
};
use Status::{Answered, Closed, Waiting};

const H: i64 = HOUR_MS;

fn msg(now: i64) -> Event {
    Event::CustomerMessage {
        now,
        matches_keywords: false,
    }
}

fn matching(now: i64) -> Event {
    Event::CustomerMessage {
        now,
        matches_keywords: true,
    }
}

fn answer(now: i64) -> Event {
    Event::OperatorMessageDelivered { now }
}

fn cmd(command: Command, now: i64) -> Event {
    Event::Command { command, now }
}

fn dialog(status: Status, topic: Topic) -> Dialog {
    Dialog {
        status,
        topic,
        ..Dialog::new(DialogKind::Private)
    }
}

/// Apply a story of events from a new private dialog, returning the final state and the
/// effects of the last event.
fn story(policy: &Policy, events: &[Event]) -> (Dialog, Vec<Effect>) {
    let mut state = Dialog::new(DialogKind::Private);
    let mut fx = Vec::new();
    for e in events {
        (state, fx) = apply(state, *e, policy);
    }
    (state, fx)
}

#[test]
fn first_message_creates_the_topic_relays_and_welcomes() {
    let (d, fx) = apply(
        Dialog::new(DialogKind::Private),
        msg(10),
        &Policy::default(),
    );
    assert_eq!(
        fx,
        [
            CreateTopic { closed: false },
            Relay,
            SendWelcome,
            Effect::Lifecycle(Lifecycle::Created)
        ]
    );
    assert_eq!(d.status, Waiting);
    assert_eq!(d.topic, Topic::Exists);
    assert!(d.welcomed);
    assert_eq!(d.last_customer_message_ms, Some(10));
    assert_eq!(d.last_operator_answer_ms, None);
}

#[test]
fn welcome_off_sends_none() {
    let policy = Policy {
        welcome_enabled: false,
        ..Policy::default()
    };
    let (d, fx) = apply(Dialog::new(DialogKind::Private), msg(10), &policy);
    assert_eq!(
        fx,
        [
            CreateTopic { closed: false },
            Relay,
            Effect::Lifecycle(Lifecycle::Created)
        ]
    );
    assert!(!d.welcomed);
    let (_, fx) = story(&policy, &[msg(1), cmd(Command::Close, 2), msg(3)]);
    assert!(!fx.contains(&SendWelcome));
}

#[test]
fn messages_to_an_open_dialog_ask_for_the_team() {
    let p = Policy::default();
    let (d, fx) = apply(dialog(Waiting, Topic::Exists), msg(5), &p);
    assert_eq!((d.status, fx), (Waiting, vec![Relay]));
    let (d, fx) = apply(dialog(Answered, Topic::Exists), msg(5), &p);
    assert_eq!((d.status, fx), (Waiting, vec![Rename(Waiting), Relay]));
}

#[test]
fn a_customer_message_reopens_a_closed_dialog_with_welcome_again() {
    let (d, fx) = story(
        &Policy::default(),
        &[msg(1), answer(2), cmd(Command::Close, 3), msg(4)],
    );
    assert_eq!(
        fx,
        [
            ReopenTopic,
            Rename(Waiting),
            Relay,
            SendWelcome,
            Effect::Lifecycle(Lifecycle::Reopened)
        ]
    );
    assert_eq!(d.status, Waiting);
    assert!(d.welcomed);
}

#[test]
fn operator_delivery_answers_and_reopens() {
    let p = Policy::default();
    let cases = [
        (Waiting, vec![Rename(Answered)]),
        (Answered, vec![]),
        (
            Closed,
            vec![
                ReopenTopic,
                Rename(Answered),
                Effect::Lifecycle(Lifecycle::Reopened),
            ],
        ),
    ];
    for (from, effects) in cases {
        let (d, fx) = apply(dialog(from, Topic::Exists), answer(7), &p);
        assert_eq!(d.status, Answered, "from {from:?}");
        assert_eq!(d.last_operator_answer_ms, Some(7));
        assert_eq!(fx, effects, "from {from:?}");
    }
}

#[test]
fn status_commands_full_table() {
    let p = Policy::default();
    let reopened = |s| {
        vec![
            ReopenTopic,
            Rename(s),
            Effect::Lifecycle(Lifecycle::Reopened),
        ]
    };
    let closed = vec![
        Rename(Closed),
        CloseTopic,
        Effect::Lifecycle(Lifecycle::Closed {
            by: CloseCause::Command,
        }),
    ];
    let table = [
        (Waiting, Command::Close, Closed, closed.clone()),
        (Answered, Command::Close, Closed, closed),
        (Closed, Command::Close, Closed, vec![]),
        (Waiting, Command::Hold, Waiting, vec![]),
        (Answered, Command::Hold, Waiting, vec![Rename(Waiting)]),
        (Closed, Command::Hold, Waiting, reopened(Waiting)),
        (Waiting, Command::Wait, Answered, vec![Rename(Answered)]),
        (Answered, Command::Wait, Answered, vec![]),
        (Closed, Command::Wait, Answered, reopened(Answered)),
    ];
    for (from, command, to, effects) in table {
        let (d, fx) = apply(dialog(from, Topic::Exists), cmd(command, 9), &p);
        assert_eq!(d.status, to, "{from:?} {command:?}");
        assert_eq!(fx, effects, "{from:?} {command:?}");
        assert_eq!(d.topic, Topic::Exists);
    }
}

#[test]
fn close_resets_welcome_and_hold_does_not_stamp_an_answer() {
    let (d, _) = story(&Policy::default(), &[msg(1), cmd(Command::Close, 2)]);
    assert!(!d.welcomed);
    let (d, _) = story(&Policy::default(), &[msg(1), cmd(Command::Hold, 2)]);
    assert_eq!(d.last_operator_answer_ms, None);
}

#[test]
fn leave_closed_kinds_are_recorded_without_status_change() {
    for kind in DialogKind::ALL {
        let policy = Policy {
            leave_closed: KindSet::only(kind),
            ..Policy::default()
        };
        // New: created closed, no WELCOME.
        let (d, fx) = apply(Dialog::new(kind), msg(1), &policy);
        assert_eq!(
            fx,
            [
                CreateTopic { closed: true },
                Effect::Lifecycle(Lifecycle::Created),
                RecordOnly
            ]
        );
        assert_eq!(
            (d.status, d.topic, d.welcomed),
            (Closed, Topic::Exists, false)
        );
        // Later messages: recorded, still closed, even when keywords match.
        let (d, fx) = apply(d, matching(2), &policy);
        assert_eq!((d.status, fx), (Closed, vec![RecordOnly]));
        assert_eq!(d.last_customer_message_ms, Some(2));
        // An operator answer still reopens; the customer's reply then flows normally.
        let (d, fx) = apply(d, answer(3), &policy);
        assert_eq!(d.status, Answered);
        assert!(fx.contains(&ReopenTopic));
        let (d, fx) = apply(d, msg(4), &policy);
        assert_eq!((d.status, fx), (Waiting, vec![Rename(Waiting), Relay]));
        // Other kinds are not affected.
        for other in DialogKind::ALL.into_iter().filter(|k| *k != kind) {
            let (d, _) = apply(Dialog::new(other), msg(1), &policy);
            assert_eq!(d.status, Waiting);
        }
    }
}

#[test]
fn leave_closed_recreates_a_deleted_topic_closed() {
    let policy = Policy {
        leave_closed: KindSet::ALL,
        ..Policy::default()
    };
    let (d, fx) = apply(dialog(Closed, Topic::Deleted), msg(1), &policy);
    assert_eq!(fx, [CreateTopic { closed: true }, RecordOnly]);
    assert_eq!((d.status, d.topic), (Closed, Topic::Exists));
}

#[test]
fn keywords_gate_new_and_closed_dialogs_only() {
    let policy = Policy {
        keyword_gated: KindSet::only(DialogKind::Private),
        ..Policy::default()
    };
    // New, no match: nothing is created.
    let (d, fx) = apply(Dialog::new(DialogKind::Private), msg(1), &policy);
    assert_eq!(fx, [NotActivated]);
    assert_eq!((d.status, d.topic), (Closed, Topic::NotCreated));
    assert_eq!(d.last_customer_message_ms, Some(1));
    // A match activates it, with WELCOME.
    let (d, fx) = apply(d, matching(2), &policy);
    assert_eq!(
        fx,
        [
            CreateTopic { closed: false },
            Relay,
            SendWelcome,
            Effect::Lifecycle(Lifecycle::Created)
        ]
    );
    // Open: everything flows.
    let (d, fx) = apply(d, msg(3), &policy);
    assert_eq!((d.status, fx), (Waiting, vec![Relay]));
    // Closed: filtered again; a message that does not match is not shown.
    let (d, _) = apply(d, cmd(Command::Close, 4), &policy);
    let (d, fx) = apply(d, msg(5), &policy);
    assert_eq!((d.status, fx), (Closed, vec![NotActivated]));
    let (d, fx) = apply(d, matching(6), &policy);
    assert_eq!(d.status, Waiting);
    assert_eq!(fx[0], ReopenTopic);
    assert!(fx.contains(&SendWelcome));
    // Deleted while closed, no match: nothing recreated.
    let (d, _) = apply(d, cmd(Command::Close, 7), &policy);
    let (d, _) = apply(d, Event::TopicDeleted, &policy);
    let (d, fx) = apply(d, msg(8), &policy);
    assert_eq!(
        (d.status, d.topic, fx),
        (Closed, Topic::Deleted, vec![NotActivated])
    );
}

#[test]
fn keyword_gating_is_per_kind() {
    let policy = Policy {
        keyword_gated: KindSet::only(DialogKind::Group),
        ..Policy::default()
    };
    let (d, _) = apply(Dialog::new(DialogKind::Private), msg(1), &policy);
    assert_eq!(d.status, Waiting);
    let (d, fx) = apply(Dialog::new(DialogKind::Group), msg(1), &policy);
    assert_eq!((d.status, fx), (Closed, vec![NotActivated]));
    let (d, _) = apply(Dialog::new(DialogKind::Channel), msg(1), &policy);
    assert_eq!(d.status, Waiting);
}

#[test]
fn a_deleted_topic_is_not_a_closed_dialog() {
    let p = Policy::default();
    for status in [Waiting, Answered] {
        let (d, fx) = apply(dialog(status, Topic::Exists), Event::TopicDeleted, &p);
        assert_eq!((d.status, d.topic, fx), (status, Topic::Deleted, vec![]));
        let (d, fx) = apply(d, msg(5), &p);
        assert_eq!(fx, [CreateTopic { closed: false }, Relay]);
        assert_eq!((d.status, d.topic), (Waiting, Topic::Exists));
    }
    // Whole story: no second WELCOME.
    let (_, fx) = story(&p, &[msg(1), Event::TopicDeleted, msg(2)]);
    assert!(!fx.contains(&SendWelcome));
    // Closed, then deleted: the next message reopens it, WELCOME included.
    let (d, fx) = apply(dialog(Closed, Topic::Deleted), msg(5), &p);
    assert_eq!(
        fx,
        [
            CreateTopic { closed: false },
            Relay,
            SendWelcome,
            Effect::Lifecycle(Lifecycle::Reopened)
        ]
    );
    assert_eq!(d.status, Waiting);
}

#[test]
fn operators_acting_on_a_deleted_topic_recreate_it() {
    let p = Policy::default();
    for (event, to) in [
        (answer(1), Answered),
        (cmd(Command::Hold, 1), Waiting),
        (cmd(Command::Wait, 1), Answered),
    ] {
        let (d, fx) = apply(dialog(Waiting, Topic::Deleted), event, &p);
        assert_eq!(d.status, to);
        assert_eq!(fx, [CreateTopic { closed: false }], "{event:?}");
        let (d, fx) = apply(dialog(Closed, Topic::Deleted), event, &p);
        assert_eq!(d.status, to);
        assert_eq!(
            fx,
            [
                CreateTopic { closed: false },
                Effect::Lifecycle(Lifecycle::Reopened)
            ]
        );
    }
    // Closing a dialog whose topic is gone touches no topic.
    let (d, fx) = apply(dialog(Answered, Topic::Deleted), cmd(Command::Close, 1), &p);
    assert_eq!(d.status, Closed);
    assert_eq!(
        fx,
        [Effect::Lifecycle(Lifecycle::Closed {
            by: CloseCause::Command
        })]
    );
}

#[test]
fn topic_deleted_before_creation_changes_nothing() {
    let d = Dialog::new(DialogKind::Group);
    assert_eq!(
        apply(d, Event::TopicDeleted, &Policy::default()),
        (d, vec![])
    );
}

#[test]
fn operators_open_a_dialog_with_new() {
    let p = Policy::default();
    let (d, fx) = apply(
        Dialog::new(DialogKind::Private),
        Event::OpenedByOperator { now: 1 },
        &p,
    );
    assert_eq!(
        fx,
        [
            CreateTopic { closed: false },
            Effect::Lifecycle(Lifecycle::Created)
        ]
    );
    assert_eq!((d.status, d.welcomed), (Waiting, false));
    let (d, fx) = apply(d, answer(2), &p);
    assert_eq!((d.status, fx), (Answered, vec![Rename(Answered)]));
    // The customer's reply goes to an open dialog: no WELCOME.
    let (d, fx) = apply(d, msg(3), &p);
    assert_eq!((d.status, fx), (Waiting, vec![Rename(Waiting), Relay]));
    // /new on an open dialog does nothing; on a closed one it reopens.
    assert_eq!(
        apply(d, Event::OpenedByOperator { now: 4 }, &p),
        (d, vec![])
    );
    let (d, fx) = apply(
        dialog(Closed, Topic::Exists),
        Event::OpenedByOperator { now: 4 },
        &p,
    );
    assert_eq!(
        fx,
        [
            ReopenTopic,
            Rename(Waiting),
            Effect::Lifecycle(Lifecycle::Reopened)
        ]
    );
    assert_eq!(d.status, Waiting);
    let (d, fx) = apply(
        dialog(Answered, Topic::Deleted),
        Event::OpenedByOperator { now: 4 },
        &p,
    );
    assert_eq!(
        (d.status, fx),
        (Answered, vec![CreateTopic { closed: false }])
    );
    // Keywords and LEAVE_CLOSED do not stop operators.
    let strict = Policy {
        leave_closed: KindSet::ALL,
        keyword_gated: KindSet::ALL,
        ..p
    };
    let (d, _) = apply(
        Dialog::new(DialogKind::Private),
        Event::OpenedByOperator { now: 1 },
        &strict,
    );
    assert_eq!(d.status, Waiting);
}

#[test]
fn autoclose_closes_answered_dialogs_after_the_hours() {
    let p = Policy {
        autoclose_hours: Some(2),
        ..Policy::default()
    };
    let (d, _) = story(&p, &[msg(0), answer(1_000)]);
    assert_eq!(autoclose_due(&d, &p), Some(1_000 + 2 * H));
    let (early, fx) = apply(
        d,
        Event::AutocloseTick {
            now: 1_000 + 2 * H - 1,
        },
        &p,
    );
    assert_eq!((early, fx), (d, vec![]));
    let (closed, fx) = apply(d, Event::AutocloseTick { now: 1_000 + 2 * H }, &p);
    assert_eq!(closed.status, Closed);
    assert!(!closed.welcomed);
    assert_eq!(
        fx,
        [
            Rename(Closed),
            CloseTopic,
            Effect::Lifecycle(Lifecycle::Closed {
                by: CloseCause::Autoclose
            })
        ]
    );
    assert_eq!(autoclose_due(&closed, &p), None);
    // Ticking a closed dialog again does nothing.
    assert_eq!(
        apply(closed, Event::AutocloseTick { now: i64::MAX }, &p),
        (closed, vec![])
    );
}

#[test]
fn autoclose_never_touches_waiting_or_closed_dialogs() {
    let p = Policy {
        autoclose_hours: Some(1),
        ..Policy::default()
    };
    for status in [Waiting, Closed] {
        let d = Dialog {
            last_operator_answer_ms: Some(0),
            last_customer_message_ms: Some(0),
            ..dialog(status, Topic::Exists)
        };
        assert_eq!(autoclose_due(&d, &p), None);
        assert_eq!(
            apply(d, Event::AutocloseTick { now: 100 * H }, &p),
            (d, vec![])
        );
    }
    // A customer message after the answer makes it 🟪 again: no autoclose.
    let (d, _) = story(&p, &[msg(0), answer(1), msg(2)]);
    assert_eq!(autoclose_due(&d, &p), None);
}

#[test]
fn autoclose_needs_an_answer_time_and_no_newer_customer_message() {
    let p = Policy {
        autoclose_hours: Some(1),
        ..Policy::default()
    };
    let no_answer = dialog(Answered, Topic::Exists);
    assert_eq!(autoclose_due(&no_answer, &p), None);
    let newer_customer = Dialog {
        last_operator_answer_ms: Some(5),
        last_customer_message_ms: Some(6),
        ..no_answer
    };
    assert_eq!(autoclose_due(&newer_customer, &p), None);
    let same_ms = Dialog {
        last_customer_message_ms: Some(5),
        ..newer_customer
    };
    assert_eq!(autoclose_due(&same_ms, &p), Some(5 + H));
    let off = Policy {
        autoclose_hours: None,
        ..p
    };
    assert_eq!(autoclose_due(&same_ms, &off), None);
    let far = Dialog {
        last_operator_answer_ms: Some(i64::MAX - 1),
        ..same_ms
    };
    let max = Policy {
        autoclose_hours: Some(u32::MAX),
        ..p
    };
    assert_eq!(autoclose_due(&far, &max), Some(i64::MAX));
}

#[test]
fn wait_starts_the_autoclose_clock() {
    let p = Policy {
        autoclose_hours: Some(1),
        ..Policy::default()
    };
    // Answered long ago, the customer wrote, the operator says /wait without writing.
    let (d, _) = story(
        &p,
        &[msg(0), answer(1), msg(10 * H), cmd(Command::Wait, 20 * H)],
    );
    assert_eq!(d.status, Answered);
    assert_eq!(autoclose_due(&d, &p), Some(21 * H));
}

#[test]
fn time_never_runs_backwards_in_the_state() {
    let p = Policy::default();
    let (d, _) = story(&p, &[msg(100), answer(200), msg(50), answer(150)]);
    assert_eq!(d.last_customer_message_ms, Some(100));
    assert_eq!(d.last_operator_answer_ms, Some(200));
}

#[test]
fn kinds_and_sets() {
    for k in DialogKind::ALL {
        assert_eq!(DialogKind::parse(k.as_str()), Some(k));
        assert!(KindSet::ALL.contains(k));
        assert!(!KindSet::EMPTY.contains(k));
        assert!(KindSet::only(k).contains(k));
    }
    assert_eq!(DialogKind::parse("supergroup"), None);
    let set: KindSet = [DialogKind::Group, DialogKind::Channel]
        .into_iter()
        .collect();
    assert_eq!(
        set,
        KindSet {
            private: false,
            group: true,
            channel: true
        }
    );
    assert_eq!(Effect::Rename(Waiting).to_string(), "rename to waiting");
}

// ---- properties ----

fn kind() -> impl Strategy<Value = DialogKind> {
    prop_oneof![
        Just(DialogKind::Private),
        Just(DialogKind::Group),
        Just(DialogKind::Channel)
    ]
}

fn kind_set() -> impl Strategy<Value = KindSet> {
    (any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(private, group, channel)| KindSet {
        private,
        group,
        channel,
    })
}

fn policy() -> impl Strategy<Value = Policy> {
    (
        prop::option::of(1u32..=1000),
        kind_set(),
        kind_set(),
        any::<bool>(),
    )
        .prop_map(
            |(autoclose_hours, leave_closed, keyword_gated, welcome_enabled)| Policy {
                autoclose_hours,
                leave_closed,
                keyword_gated,
                welcome_enabled,
            },
        )
}

/// Events at a time `t` chosen by the caller.
fn event_at(t: i64) -> impl Strategy<Value = Event> {
    prop_oneof![
        3 => any::<bool>().prop_map(move |m| Event::CustomerMessage { now: t, matches_keywords: m }),
        3 => Just(Event::OperatorMessageDelivered { now: t }),
        1 => Just(Event::Command { command: Command::Close, now: t }),
        1 => Just(Event::Command { command: Command::Hold, now: t }),
        1 => Just(Event::Command { command: Command::Wait, now: t }),
        1 => Just(Event::OpenedByOperator { now: t }),
        3 => Just(Event::AutocloseTick { now: t }),
        1 => Just(Event::TopicDeleted),
    ]
}

/// Events with arbitrary (possibly decreasing) times.
fn events() -> impl Strategy<Value = Vec<Event>> {
    prop::collection::vec((0i64..2_000 * H).prop_flat_map(event_at), 0..40)
}

/// Events with non-decreasing times.
fn forward_events() -> impl Strategy<Value = Vec<Event>> {
    prop::collection::vec(0i64..100 * H, 0..40).prop_flat_map(|steps| {
        let mut t = 0;
        let times: Vec<i64> = steps
            .into_iter()
            .map(|s| {
                t += s;
                t
            })
            .collect();
        times.into_iter().map(event_at).collect::<Vec<_>>()
    })
}

fn event_now(e: &Event) -> Option<i64> {
    match *e {
        Event::CustomerMessage { now, .. }
        | Event::OperatorMessageDelivered { now }
        | Event::Command { now, .. }
        | Event::OpenedByOperator { now }
        | Event::AutocloseTick { now } => Some(now),
        Event::TopicDeleted => None,
    }
}

/// The invariants of one step.
fn check_step(before: Dialog, e: Event, after: Dialog, fx: &[Effect], p: &Policy) {
    const SQUARES: [&str; 3] = ["🟪", "🟨", "⬛"];
    assert!(SQUARES.contains(&after.status.square()));
    assert_eq!(after.kind, before.kind);
    // Time only moves forward in the state.
    assert!(after.last_customer_message_ms >= before.last_customer_message_ms);
    assert!(after.last_operator_answer_ms >= before.last_operator_answer_ms);
    for f in fx {
        match *f {
            Rename(s) => {
                assert!(SQUARES.contains(&s.square()));
                assert_eq!(s, after.status);
                assert_eq!(after.topic, Topic::Exists);
            }
            CreateTopic { closed } => {
                assert_ne!(before.topic, Topic::Exists);
                assert_eq!(closed, after.status == Closed);
                assert_eq!(after.topic, Topic::Exists);
            }
            CloseTopic => {
                assert!(before.is_open() && !after.is_open());
                assert_eq!(before.topic, Topic::Exists);
            }
            ReopenTopic => {
                assert!(!before.is_open() && after.is_open());
                assert_eq!(before.topic, Topic::Exists);
            }
            SendWelcome => {
                assert!(p.welcome_enabled);
                assert!(matches!(e, Event::CustomerMessage { .. }));
                assert!(!before.is_open() && after.is_open());
                assert!(after.welcomed && !before.welcomed);
            }
            Relay => {
                assert!(matches!(e, Event::CustomerMessage { .. }));
                assert_eq!(after.status, Waiting);
            }
            RecordOnly | NotActivated => {
                assert!(matches!(e, Event::CustomerMessage { .. }));
                assert_eq!(after.status, Closed);
                assert_eq!(before.status, Closed);
            }
            Effect::Lifecycle(Lifecycle::Closed { .. }) => {
                assert!(before.is_open() && !after.is_open());
            }
            Effect::Lifecycle(Lifecycle::Created | Lifecycle::Reopened) => {
                assert_eq!(before.status, Closed);
            }
        }
    }
    // Each message from the customer is handled exactly once.
    if matches!(e, Event::CustomerMessage { .. }) {
        let handled = fx
            .iter()
            .filter(|f| matches!(f, Relay | RecordOnly | NotActivated))
            .count();
        assert_eq!(handled, 1);
    }
    // Status changes are always announced by lifecycle or rename (when a topic exists).
    if before.is_open() != after.is_open() {
        assert!(fx.iter().any(|f| matches!(f, Effect::Lifecycle(_))));
    }
    if after.topic == Topic::Exists
        && before.topic == Topic::Exists
        && after.status != before.status
    {
        assert!(fx.contains(&Rename(after.status)));
    }
    // Only the customer's own opening message welcomes; nobody else opens a dialog with it.
    // LEAVE_CLOSED kinds are never reopened by the customer.
    if let Event::CustomerMessage {
        matches_keywords, ..
    } = e
    {
        if !before.is_open() && p.leave_closed.contains(before.kind) {
            assert_eq!(after.status, Closed);
        }
        if !before.is_open() && p.keyword_gated.contains(before.kind) && !matches_keywords {
            assert_eq!(after.status, Closed);
        }
    }
    // An open dialog always ends up with a topic, except when the topic was just deleted
    // or a scheduler tick did not change anything.
    if after.is_open() && !matches!(e, Event::TopicDeleted | Event::AutocloseTick { .. }) {
        assert_eq!(after.topic, Topic::Exists);
    }
    // AUTOCLOSE only ever closes 🟨 dialogs, and only when due.
    if let Event::AutocloseTick { now } = e {
        if before.status == Answered {
            let due = autoclose_due(&before, p);
            let fired = after.status == Closed;
            assert_eq!(fired, due.is_some_and(|d| now >= d));
        } else {
            assert_eq!((after, fx.len()), (before, 0));
        }
    }
}

proptest! {
    #[test]
    fn every_step_keeps_the_invariants(
        p in policy(),
        k in kind(),
        evs in events(),
    ) {
        let mut d = Dialog::new(k);
        for e in evs {
            let (next, fx) = apply(d, e, &p);
            check_step(d, e, next, &fx, &p);
            d = next;
        }
    }

    #[test]
    fn with_time_going_forward_autoclose_is_due_after_the_answer(
        p in policy(),
        k in kind(),
        evs in forward_events(),
    ) {
        let mut d = Dialog::new(k);
        let mut last_now = i64::MIN;
        for e in evs {
            let (next, fx) = apply(d, e, &p);
            check_step(d, e, next, &fx, &p);
            if let Some(now) = event_now(&e) {
                prop_assert!(now >= last_now);
                last_now = now;
                // Stamps equal the latest event time of their kind.
                prop_assert!(next.last_customer_message_ms.is_none_or(|c| c <= now));
                prop_assert!(next.last_operator_answer_ms.is_none_or(|a| a <= now));
            }
            if let (Some(due), Some(answered)) =
                (autoclose_due(&next, &p), next.last_operator_answer_ms)
            {
                prop_assert!(due > answered);
                prop_assert_eq!(next.status, Answered);
            }
            // With forward time a 🟨 dialog never has a newer customer message.
            if next.status == Answered {
                prop_assert!(next.last_customer_message_ms <= next.last_operator_answer_ms
                    || next.last_operator_answer_ms.is_none());
            }
            d = next;
        }
    }

    #[test]
    fn at_most_one_welcome_per_opening(p in policy(), k in kind(), evs in events()) {
        let mut d = Dialog::new(k);
        let mut welcomes_this_opening = 0;
        for e in evs {
            let (next, fx) = apply(d, e, &p);
            if d.is_open() && !next.is_open() {
                welcomes_this_opening = 0;
            }
            welcomes_this_opening += fx.iter().filter(|f| **f == SendWelcome).count();
            prop_assert!(welcomes_this_opening <= 1);
            d = next;
        }
    }

    #[test]
    fn autoclose_never_fires_on_a_waiting_dialog(
        p in policy(),
        k in kind(),
        evs in events(),
        now in any::<i64>(),
    ) {
        let mut d = Dialog::new(k);
        for e in evs {
            d = apply(d, e, &p).0;
            if d.status == Waiting {
                prop_assert_eq!(autoclose_due(&d, &p), None);
                prop_assert_eq!(apply(d, Event::AutocloseTick { now }, &p), (d, vec![]));
            }
        }
    }

    #[test]
    fn autoclose_tick_is_idempotent(p in policy(), k in kind(), evs in events(), now in 0i64..4_000 * H) {
        let mut d = Dialog::new(k);
        for e in evs {
            d = apply(d, e, &p).0;
        }
        let (once, _) = apply(d, Event::AutocloseTick { now }, &p);
        let (twice, fx) = apply(once, Event::AutocloseTick { now }, &p);
        prop_assert_eq!(once, twice);
        prop_assert!(fx.is_empty());
    }
}
