//! Calendar dates for `review_by` and stories: `YYYY-MM-DD`, nothing more.

use std::fmt;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// `YYYY-MM-DD`, a real calendar date; a time after it (`2019-07-02
    /// 11:21:02 -0400`, `2019-07-02T11:21:02Z`, as Jekyll, Hugo and RFC 3339
    /// write dates) is allowed and left out.
    pub(crate) fn parse(text: &str) -> Option<Date> {
        let text = text.trim();
        let date = match text.char_indices().find(|(_, c)| *c == 'T' || *c == ' ') {
            Some((i, _)) if is_time(text[i + 1..].trim_start()) => &text[..i],
            Some(_) => return None,
            None => text,
        };
        let mut parts = date.splitn(3, '-');
        let year: i32 = parts.next()?.parse().ok()?;
        let month: u32 = parts.next()?.parse().ok()?;
        let day: u32 = parts.next()?.parse().ok()?;
        let valid = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    /// Today in UTC; `SOURCE_DATE_EPOCH` pins it, for reproducible builds.
    pub(crate) fn today() -> Date {
        let seconds = std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs() as i64)
            });
        Date::from_days(seconds.div_euclid(86_400))
    }

    /// Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }
}

/// `11:21`, `11:21:02 -0400`, `11:21:02.5Z`: hours and minutes first.
fn is_time(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() >= 5
        && bytes[..2].iter().all(u8::is_ascii_digit)
        && bytes[2] == b':'
        && bytes[3..5].iter().all(u8::is_ascii_digit)
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | '+' | '-' | 'Z' | ' '))
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_only_real_dates() {
        assert_eq!(Date::parse("2027-02-28").unwrap().to_string(), "2027-02-28");
        assert!(Date::parse("2027-02-29").is_none());
        assert!(Date::parse("2028-02-29").is_some());
        assert!(Date::parse("next spring").is_none());
        assert!(Date::parse("2026-02-30").is_none());
        assert_eq!(
            Date::parse("2019-07-02 11:21:02 -0400")
                .unwrap()
                .to_string(),
            "2019-07-02"
        );
        assert!(Date::parse("2019-07-02T11:21:02Z").is_some());
        assert!(Date::parse("2019-07-02 tomorrow").is_none());
    }

    #[test]
    fn days_since_epoch_become_dates() {
        assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_days(20_415).to_string(), "2025-11-23");
    }
}
