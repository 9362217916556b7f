//! Calendar dates as written in `as_of` (`YYYY-MM-DD`), today's date, and how far apart two of
//! them are, on top of `jiff`'s civil dates.

use std::fmt;

use jiff::tz::TimeZone;
use jiff::{Timestamp, Unit, civil};

/// A proleptic Gregorian calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Date(civil::Date);

impl Date {
    /// Parses `YYYY-MM-DD`, checking that the day exists in that month. Other ISO 8601 forms
    /// (`20240229`, `+002024-02-29`) are refused: the dataset writes dates one way.
    pub(crate) fn parse(text: &str) -> Option<Date> {
        let shape = text.len() == 10
            && text.bytes().enumerate().all(|(i, b)| match i {
                4 | 7 => b == b'-',
                _ => b.is_ascii_digit(),
            });
        shape.then(|| text.parse().ok().map(Date)).flatten()
    }

    /// Today's date in UTC, from the system clock.
    pub(crate) fn today() -> Date {
        Date(Timestamp::now().to_zoned(TimeZone::UTC).date())
    }

    /// The day before, or the same date at the start of the calendar.
    pub(crate) fn yesterday(self) -> Date {
        Date(self.0.yesterday().unwrap_or(self.0))
    }

    /// The day after, or the same date at the end of the calendar.
    pub(crate) fn tomorrow(self) -> Date {
        Date(self.0.tomorrow().unwrap_or(self.0))
    }

    /// Whole months from `self` to `later` (negative when `later` is earlier).
    pub(crate) fn months_until(self, later: Date) -> i64 {
        self.0
            .until((Unit::Month, later.0))
            .map_or(0, |span| i64::from(span.get_months()))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn parses_real_dates_only() {
        assert_eq!(d("2024-02-29").to_string(), "2024-02-29");
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-1-01",
            "24-01-01",
            "2024/01/01",
            "20240101",
            "soon",
            "+024-01-01",
            "2024-01-01T00:00",
            "２０２４-01-01",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn months_until_counts_whole_months() {
        assert_eq!(d("2025-05-27").months_until(d("2026-11-27")), 18);
        assert_eq!(d("2025-05-28").months_until(d("2026-11-27")), 17);
        assert_eq!(d("2026-11-27").months_until(d("2025-11-27")), -12);
    }

    #[test]
    fn neighbouring_days_cross_months_and_years() {
        assert_eq!(d("2026-12-01").yesterday(), d("2026-11-30"));
        assert_eq!(d("2026-12-31").tomorrow(), d("2027-01-01"));
        assert_eq!(d("2024-02-28").tomorrow(), d("2024-02-29"));
    }
}
