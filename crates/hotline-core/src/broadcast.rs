//! Broadcasts (`/send` in General, product.md §6): who a `/send` command is for and what it
//! sends, and the ids in an attached file. Pure: the caller resolves the audience against
//! the store and applies the plan's quota.
//!
//! `/send AUDIENCE [TEMPLATE]`: AUDIENCE is `test` (the sender), `all`, `tag:NAME`, or user
//! ids separated by commas or spaces; with a text or CSV file attached, the command is the
//! file's caption and the file holds the ids (`/send [TEMPLATE]`). Without a template, the
//! content is the message the command replies to.

/// The most ids one broadcast takes (inline or from a file).
pub const MAX_RECIPIENTS: usize = 100_000;

/// How many bad lines of a file are named in the answer.
pub const BAD_LINES_SHOWN: usize = 5;

/// Who a broadcast is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// The sender, to see it as a customer would.
    Test,
    /// Every customer who can be reached.
    All,
    /// Customers whose topic has the tag.
    Tag(String),
    /// These users, in order, without duplicates.
    Ids(Vec<i64>),
    /// The ids in the attached file.
    File,
}

/// A `/send` command in General.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendCommand {
    pub audience: Audience,
    /// A template's name; `None`: the message replied to.
    pub template: Option<String>,
}

/// Why a `/send` command was not understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// No audience (and no file).
    Usage,
    /// An audience word that is none of the forms, as typed.
    BadAudience(String),
    /// More than [`MAX_RECIPIENTS`] ids.
    TooMany,
}

/// Why an attached file of ids was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileError {
    /// Lines (counted from 1) whose first field is not a user id: the first few.
    BadLines(Vec<usize>),
    /// No id at all.
    Empty,
    /// More than [`MAX_RECIPIENTS`] ids.
    TooMany,
}

fn user_id(s: &str) -> Option<i64> {
    let s = s.trim().trim_matches('"').trim();
    let id: i64 = s.parse().ok()?;
    (id > 0).then_some(id)
}

fn dedup(ids: Vec<i64>) -> Vec<i64> {
    let mut seen = std::collections::HashSet::new();
    ids.into_iter().filter(|i| seen.insert(*i)).collect()
}

/// Parses what follows `/send` in General; `with_file`: a document is attached.
pub fn parse_send(args: &str, with_file: bool) -> Result<SendCommand, SendError> {
    let words: Vec<&str> = args.split_whitespace().collect();
    let mut rest = words.as_slice();
    let audience = if with_file {
        Audience::File
    } else {
        let Some((first, after)) = rest.split_first() else {
            return Err(SendError::Usage);
        };
        let lower = first.to_lowercase();
        if lower == "test" {
            rest = after;
            Audience::Test
        } else if lower == "all" {
            rest = after;
            Audience::All
        } else if lower.starts_with("tag:") {
            let name = first.get(4..).unwrap_or_default();
            if name.is_empty() {
                return Err(SendError::BadAudience((*first).to_string()));
            }
            rest = after;
            Audience::Tag(name.to_string())
        } else {
            let mut ids = Vec::new();
            while let Some((w, after)) = rest.split_first() {
                let parsed: Option<Vec<i64>> = w
                    .split(',')
                    .filter(|p| !p.is_empty())
                    .map(user_id)
                    .collect();
                match parsed {
                    Some(p) if !p.is_empty() => ids.extend(p),
                    // `1,2 promo`: the template follows the ids.
                    _ if !ids.is_empty() => break,
                    _ => return Err(SendError::BadAudience((*w).to_string())),
                }
                rest = after;
            }
            if ids.len() > MAX_RECIPIENTS {
                return Err(SendError::TooMany);
            }
            Audience::Ids(dedup(ids))
        }
    };
    match rest {
        [] => Ok(SendCommand {
            audience,
            template: None,
        }),
        [name] => Ok(SendCommand {
            audience,
            template: Some((*name).to_string()),
        }),
        [_, extra, ..] => Err(SendError::BadAudience((*extra).to_string())),
    }
}

/// The ids in a text or CSV file: the first field of every line (separated by a comma, a
/// semicolon or a tab), duplicates dropped; empty lines and a header line are skipped.
pub fn parse_ids_file(text: &str) -> Result<Vec<i64>, FileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut ids = Vec::new();
    let mut bad = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let first = line.split([',', ';', '\t']).next().unwrap_or("").trim();
        if first.is_empty() {
            continue;
        }
        match user_id(first) {
            Some(id) => ids.push(id),
            // A header: the first line, not a number (`id`, `user_id`, …).
            None if i == 0 && first.trim_matches('"').parse::<i64>().is_err() => {}
            None => bad.push(i + 1),
        }
    }
    if !bad.is_empty() {
        bad.truncate(BAD_LINES_SHOWN);
        return Err(FileError::BadLines(bad));
    }
    if ids.is_empty() {
        return Err(FileError::Empty);
    }
    let ids = dedup(ids);
    if ids.len() > MAX_RECIPIENTS {
        return Err(FileError::TooMany);
    }
    Ok(ids)
}

/// How many of `wanted` recipients a broadcast may send to, with `used` already sent this
/// month against `limit` (`None`: unlimited).
pub fn allowance(limit: Option<i64>, used: i64, wanted: i64) -> i64 {
    match limit {
        None => wanted,
        Some(l) => wanted.min((l - used).max(0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn send(args: &str) -> Result<SendCommand, SendError> {
        parse_send(args, false)
    }

    #[test]
    fn audiences() {
        assert_eq!(send("test").unwrap().audience, Audience::Test);
        assert_eq!(
            send("ALL promo").unwrap(),
            SendCommand {
                audience: Audience::All,
                template: Some("promo".into())
            }
        );
        assert_eq!(
            send("tag:VIP").unwrap().audience,
            Audience::Tag("VIP".into())
        );
        assert_eq!(
            send("5,6 7 5 promo").unwrap(),
            SendCommand {
                audience: Audience::Ids(vec![5, 6, 7]),
                template: Some("promo".into())
            }
        );
        assert_eq!(send("").unwrap_err(), SendError::Usage);
        assert_eq!(
            send("everyone").unwrap_err(),
            SendError::BadAudience("everyone".into())
        );
        assert_eq!(
            send("tag:").unwrap_err(),
            SendError::BadAudience("tag:".into())
        );
        assert_eq!(send("-5").unwrap_err(), SendError::BadAudience("-5".into()));
        assert_eq!(
            send("all promo extra").unwrap_err(),
            SendError::BadAudience("extra".into())
        );
        assert_eq!(
            parse_send("promo", true).unwrap(),
            SendCommand {
                audience: Audience::File,
                template: Some("promo".into())
            }
        );
    }

    #[test]
    fn files_take_the_first_field_and_name_bad_lines() {
        let csv = "\u{feff}user_id,first name\n101,Ann\n\n\"102\";x\n103\t\n101\n";
        assert_eq!(parse_ids_file(csv), Ok(vec![101, 102, 103]));
        assert_eq!(
            parse_ids_file("101\nhello\n102\n-3\n"),
            Err(FileError::BadLines(vec![2, 4]))
        );
        assert_eq!(parse_ids_file("id\n\n"), Err(FileError::Empty));
        let many: String = (1..=7).map(|i| format!("x{i}\n")).collect();
        assert_eq!(
            parse_ids_file(&format!("1\n{many}")),
            Err(FileError::BadLines(vec![2, 3, 4, 5, 6]))
        );
    }

    #[test]
    fn the_quota_caps_what_is_sent() {
        assert_eq!(allowance(Some(200), 150, 100), 50);
        assert_eq!(allowance(Some(200), 250, 100), 0);
        assert_eq!(allowance(None, 10_000, 100), 100);
    }
}
