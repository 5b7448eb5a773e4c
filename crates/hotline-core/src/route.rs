//! Where an incoming message goes. Pure: the caller describes the message and the dialog it
//! belongs to; the answer says what to do.

/// What the relay needs to know about one incoming message.
#[derive(Debug, Clone, PartialEq)]
pub struct Incoming<'a> {
    /// A private chat with the frontend (a customer), or the backend group.
    pub from_customer_chat: bool,
    pub in_backend_group: bool,
    /// Sent by a bot (ours or another): never relayed.
    pub sender_is_bot: bool,
    /// Sent on behalf of a chat (anonymous admin, channel).
    pub sender_is_chat: bool,
    /// Inside a forum topic (`is_topic_message`).
    pub is_topic_message: bool,
    /// A service message (topic created, member joined, …).
    pub is_service: bool,
    /// Text or caption.
    pub text: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Route {
    /// Copy into the customer's topic.
    ToTopic,
    /// Copy to the customer of this topic.
    ToCustomer,
    /// An operator command (handled by the lifecycle layer, not relayed).
    Command,
    /// A command typed in General (the team's own commands: `/help`, `/mark`, …).
    GeneralCommand,
    /// `/ ` internal comment: stays in the topic.
    InternalComment,
    /// Nothing to do, with the reason (for logs).
    Ignore(&'static str),
}

/// An internal comment starts with a slash and a space.
pub fn is_internal_comment(text: &str) -> bool {
    text.starts_with("/ ") || text == "/"
}

pub fn is_command(text: &str) -> bool {
    text.starts_with('/') && !is_internal_comment(text)
}

pub fn route(m: &Incoming<'_>) -> Route {
    if m.is_service {
        return Route::Ignore("service message");
    }
    if m.from_customer_chat {
        return Route::ToTopic;
    }
    if !m.in_backend_group {
        return Route::Ignore("not a chat of this connection");
    }
    if m.sender_is_bot {
        return Route::Ignore("written by a bot");
    }
    if !m.is_topic_message {
        return match m.text {
            Some(t) if is_command(t) && m.sender_is_chat => {
                Route::Ignore("anonymous administrator")
            }
            Some(t) if is_command(t) => Route::GeneralCommand,
            _ => Route::Ignore("General topic"),
        };
    }
    match m.text {
        Some(t) if is_internal_comment(t) => Route::InternalComment,
        Some(t) if is_command(t) => Route::Command,
        _ if m.sender_is_chat => Route::Ignore("anonymous administrator"),
        _ => Route::ToCustomer,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(text: Option<&str>) -> Incoming<'_> {
        Incoming {
            from_customer_chat: false,
            in_backend_group: true,
            sender_is_bot: false,
            sender_is_chat: false,
            is_topic_message: true,
            is_service: false,
            text,
        }
    }

    #[test]
    fn operators_reach_customers_unless_commenting_or_commanding() {
        assert_eq!(route(&op(Some("hello"))), Route::ToCustomer);
        assert_eq!(route(&op(None)), Route::ToCustomer);
        assert_eq!(route(&op(Some("/ note to self"))), Route::InternalComment);
        assert_eq!(route(&op(Some("/close"))), Route::Command);
        assert_eq!(
            route(&Incoming {
                is_topic_message: false,
                ..op(Some("hi"))
            }),
            Route::Ignore("General topic")
        );
        let general = |text| Incoming {
            is_topic_message: false,
            ..op(Some(text))
        };
        assert_eq!(route(&general("/help")), Route::GeneralCommand);
        assert_eq!(route(&general("/ a note")), Route::Ignore("General topic"));
        assert_eq!(
            route(&Incoming {
                sender_is_chat: true,
                ..general("/mark")
            }),
            Route::Ignore("anonymous administrator")
        );
        assert_eq!(
            route(&Incoming {
                sender_is_bot: true,
                ..op(Some("hi"))
            }),
            Route::Ignore("written by a bot")
        );
        assert_eq!(
            route(&Incoming {
                is_service: true,
                ..op(None)
            }),
            Route::Ignore("service message")
        );
        let customer = Incoming {
            from_customer_chat: true,
            in_backend_group: false,
            ..op(Some("/start"))
        };
        assert_eq!(route(&customer), Route::ToTopic);
    }
}
