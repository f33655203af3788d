//! Dates as authors write them (`review_by: YYYY-MM-DD`, a time after it
//! allowed), checked against the calendar, and today's date, which decides
//! what is overdue: in UTC, or pinned by `SOURCE_DATE_EPOCH`.

use std::process::Command;

use crate::common::*;

#[test]
fn review_dates_are_checked_against_the_calendar() {
    let cases = [
        ("2028-02-29", true),
        ("2027-02-29", false),
        ("2000-02-29", true),
        ("2100-02-29", false),
        ("2026-02-28", true),
        ("2026-04-30", true),
        ("2026-04-31", false),
        ("2026-06-31", false),
        ("2026-09-31", false),
        ("2026-11-31", false),
        ("2026-12-31", true),
        ("2026-01-31", true),
        ("2026-01-32", false),
        ("2026-13-01", false),
        ("2026-00-10", false),
        ("2026-01-00", false),
        ("2026-01-02T10:30", true),
        ("2026-01-02 10:30:00 +0100", true),
        ("2026-01-02T10:30:00.5Z", true),
        ("2026-01-02T1:30", false),
        ("2026-01-02T10-30", false),
        ("2026-01-02T10:3", false),
        ("2026-01-02T1a:30", false),
        ("2026-01-02T10:3a", false),
        ("2026-01-02 10:30 pm", false),
        ("2026-01-02 at 10:30", false),
        ("2026-01", false),
        ("next spring", false),
    ];
    let files: Vec<(String, String)> = cases
        .iter()
        .enumerate()
        .map(|(i, (date, _))| {
            (
                format!("content/guides/d{i:02}.md"),
                format!("---\ntitle: Page {i}\nreview_by: \"{date}\"\n---\nText.\n"),
            )
        })
        .collect();
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let errors = TestSite::new(&files).errors();
    let rejected: Vec<&str> = cases
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            let file = format!("content/guides/d{i:02}.md");
            errors
                .iter()
                .any(|d| d.code == "invalid-date" && d.file == file)
        })
        .map(|(_, (date, _))| *date)
        .collect();
    let invalid: Vec<&str> = cases.iter().filter(|c| !c.1).map(|c| c.0).collect();
    assert_eq!(rejected, invalid);
}

/// Files that `touchstone check` says are past their review date, with
/// `SOURCE_DATE_EPOCH` set to `epoch`.
fn overdue_at(site: &TestSite, epoch: &str) -> Vec<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_touchstone"))
        .args(["check", "--format", "json"])
        .current_dir(site.root())
        .env("SOURCE_DATE_EPOCH", epoch)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let diagnostics: Vec<serde_json::Value> =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"));
    diagnostics
        .iter()
        .filter(|d| d["code"] == "overdue-review")
        .map(|d| d["file"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn today_is_the_calendar_day_of_the_pinned_time_across_leap_days_and_centuries() {
    // Noon UTC of a day, that day and the day before it.
    let days = [
        ("-11670955200", "1600-02-28", "1600-02-29"),
        ("-2203934400", "1900-02-27", "1900-02-28"),
        ("-2203848000", "1900-02-28", "1900-03-01"),
        ("-43200", "1969-12-30", "1969-12-31"),
        ("43200", "1969-12-31", "1970-01-01"),
        ("68212800", "1972-02-28", "1972-02-29"),
        ("920376000", "1999-03-01", "1999-03-02"),
        ("946641600", "1999-12-30", "1999-12-31"),
        ("951825600", "2000-02-28", "2000-02-29"),
        ("951912000", "2000-02-29", "2000-03-01"),
        ("1735646400", "2024-12-30", "2024-12-31"),
        ("1735732800", "2024-12-31", "2025-01-01"),
        ("1785499200", "2026-07-30", "2026-07-31"),
        ("1796040000", "2026-11-29", "2026-11-30"),
        ("1835438400", "2028-02-28", "2028-02-29"),
        ("4107499200", "2100-02-27", "2100-02-28"),
        ("4107585600", "2100-02-28", "2100-03-01"),
        ("4107672000", "2100-03-01", "2100-03-02"),
    ];
    for (epoch, yesterday, today) in days {
        let site = TestSite::new(&[
            (
                "content/guides/yesterday.md",
                &format!("---\ntitle: Due yesterday\nreview_by: {yesterday}\n---\nText.\n"),
            ),
            (
                "content/guides/today.md",
                &format!("---\ntitle: Due today\nreview_by: {today}\n---\nText.\n"),
            ),
        ]);
        assert_eq!(
            overdue_at(&site, epoch),
            ["content/guides/yesterday.md"],
            "at {epoch}, today is {today}"
        );
    }
}
