//! TR-106 date and time values.
//!
//! [`DateTime`] parses and prints every lexical form CWMP uses: absolute times with `Z` or an
//! offset, untimezoned times, relative-to-boot times (a date in year 1, e.g. `0001-01-03T03:04:05`),
//! the Unknown Time `0001-01-01T00:00:00Z` and the Infinite Time `9999-12-31T23:59:59Z`, with
//! fractional seconds of any precision up to nanoseconds. Display gives back exactly the text
//! that was parsed.
//!
//! Message fields that carry a dateTime are [`DateTimeText`]: the text as received, parsed on
//! access, so that a lenient decoder can keep a malformed value (real devices send
//! `2019-03-05T11:54::14`) without losing it.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The zone part of a dateTime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Offset {
    /// No zone designator: local time, or relative-to-boot when the year is below 1000.
    None,
    /// `Z`.
    Utc,
    /// `+hh:mm` or `-hh:mm`, in minutes east of UTC. `negative` keeps `-00:00` apart from `+00:00`.
    Fixed {
        /// Minutes east of UTC (negative west).
        minutes: i16,
        /// The sign was `-` (matters only for `-00:00`).
        negative: bool,
    },
}

/// What a dateTime means under TR-106's rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateTimeKind {
    /// A point in time.
    Absolute,
    /// Time since boot (a year below 1000).
    Relative,
    /// The Unknown Time, `0001-01-01T00:00:00Z`.
    Unknown,
    /// The Infinite Time, `9999-12-31T23:59:59Z`.
    Infinite,
}

/// A TR-106 dateTime.
///
/// ```
/// use cwmp_core::datetime::{DateTime, DateTimeKind};
/// let t: DateTime = "2015-01-19T23:08:24.123+01:00".parse().unwrap();
/// assert_eq!(t.kind(), DateTimeKind::Absolute);
/// assert_eq!(t.to_string(), "2015-01-19T23:08:24.123+01:00");
///
/// let boot: DateTime = "0001-01-03T03:04:05".parse().unwrap();
/// assert_eq!(boot.kind(), DateTimeKind::Relative);
/// assert_eq!(boot.since_boot().unwrap().as_secs(), 2 * 86400 + 3 * 3600 + 4 * 60 + 5);
/// assert_eq!(DateTime::UNKNOWN.to_string(), "0001-01-01T00:00:00Z");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateTime {
    year: u16,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
    nanos: u32,
    frac_digits: u8,
    offset: Offset,
}

/// Why a dateTime text was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DateTimeError {
    /// The text does not have the `YYYY-MM-DDThh:mm:ss[.f][zone]` shape.
    #[error("malformed dateTime at byte {offset}")]
    Syntax {
        /// Byte offset of the first unexpected character.
        offset: usize,
    },
    /// A field is out of its range (month 13, day 31 in April, hour 24 ...).
    #[error("dateTime field out of range: {field}")]
    Range {
        /// The field's name.
        field: &'static str,
    },
}

const fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

const fn days_in_month(year: i64, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days from 1970-01-01 to the given proleptic Gregorian date.
const fn days_from_civil(year: i64, month: u8, day: u8) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = month as i64;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count from 1970-01-01.
const fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = yoe + era * 400 + if month <= 2 { 1 } else { 0 };
    (year, month, day)
}

const DAY_ONE: i64 = days_from_civil(1, 1, 1);

impl DateTime {
    /// The Unknown Time, `0001-01-01T00:00:00Z`.
    pub const UNKNOWN: DateTime = DateTime {
        year: 1,
        month: 1,
        day: 1,
        hour: 0,
        minute: 0,
        second: 0,
        nanos: 0,
        frac_digits: 0,
        offset: Offset::Utc,
    };

    /// The Infinite Time, `9999-12-31T23:59:59Z`.
    pub const INFINITE: DateTime = DateTime {
        year: 9999,
        month: 12,
        day: 31,
        hour: 23,
        minute: 59,
        second: 59,
        nanos: 0,
        frac_digits: 0,
        offset: Offset::Utc,
    };

    /// A UTC time from seconds and nanoseconds since the Unix epoch, written with `Z` and no
    /// fractional part unless `nanos` is non-zero (then with milliseconds, microseconds or
    /// nanoseconds, whichever is exact). `None` past year 9999 or before year 1.
    pub fn from_unix(seconds: i64, nanos: u32) -> Option<DateTime> {
        if nanos >= 1_000_000_000 {
            return None;
        }
        let days = seconds.div_euclid(86_400);
        let secs = seconds.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        if !(1..=9999).contains(&year) {
            return None;
        }
        let frac_digits = if nanos == 0 {
            0
        } else if nanos % 1_000_000 == 0 {
            3
        } else if nanos % 1_000 == 0 {
            6
        } else {
            9
        };
        Some(DateTime {
            year: year as u16,
            month,
            day,
            hour: (secs / 3600) as u8,
            minute: (secs % 3600 / 60) as u8,
            second: (secs % 60) as u8,
            nanos,
            frac_digits,
            offset: Offset::Utc,
        })
    }

    /// A UTC time from a [`SystemTime`]. `None` outside years 1–9999.
    pub fn from_system_time(time: SystemTime) -> Option<DateTime> {
        match time.duration_since(UNIX_EPOCH) {
            Ok(d) => DateTime::from_unix(i64::try_from(d.as_secs()).ok()?, d.subsec_nanos()),
            Err(e) => {
                let d = e.duration();
                let secs = i64::try_from(d.as_secs()).ok()?;
                if d.subsec_nanos() == 0 {
                    DateTime::from_unix(-secs, 0)
                } else {
                    DateTime::from_unix(-secs - 1, 1_000_000_000 - d.subsec_nanos())
                }
            }
        }
    }

    /// A relative-to-boot time (untimezoned, year 1): `since_boot` after boot. `None` when the
    /// duration reaches year 1000.
    pub fn relative(since_boot: Duration) -> Option<DateTime> {
        let secs = i64::try_from(since_boot.as_secs()).ok()?;
        let mut t = DateTime::from_unix(
            DAY_ONE.checked_mul(86_400)?.checked_add(secs)?,
            since_boot.subsec_nanos(),
        )?;
        if t.year >= 1000 {
            return None;
        }
        t.offset = Offset::None;
        Some(t)
    }

    /// The same instant written with the given number of fractional digits (0–9), for peers that
    /// refuse or need fractional seconds. Digits beyond the precision are truncated.
    pub fn with_fraction_digits(mut self, digits: u8) -> DateTime {
        let digits = digits.min(9);
        let scale = 10u32.pow(9 - digits as u32);
        self.nanos = self.nanos / scale * scale;
        self.frac_digits = digits;
        self
    }

    /// The year (1–9999).
    pub const fn year(&self) -> u16 {
        self.year
    }
    /// The month (1–12).
    pub const fn month(&self) -> u8 {
        self.month
    }
    /// The day of the month (1–31).
    pub const fn day(&self) -> u8 {
        self.day
    }
    /// The hour (0–23).
    pub const fn hour(&self) -> u8 {
        self.hour
    }
    /// The minute (0–59).
    pub const fn minute(&self) -> u8 {
        self.minute
    }
    /// The second (0–59).
    pub const fn second(&self) -> u8 {
        self.second
    }
    /// The fractional second in nanoseconds.
    pub const fn nanosecond(&self) -> u32 {
        self.nanos
    }
    /// How many fractional digits the text has.
    pub const fn fraction_digits(&self) -> u8 {
        self.frac_digits
    }
    /// The zone part.
    pub const fn offset(&self) -> Offset {
        self.offset
    }

    fn is_zero_offset(&self) -> bool {
        matches!(self.offset, Offset::Utc | Offset::Fixed { minutes: 0, .. })
    }

    /// Classifies the value per TR-106: Unknown, Infinite, Relative (year below 1000, which is
    /// also accepted with a trailing `Z` as older TR-106 examples print it) or Absolute.
    pub fn kind(&self) -> DateTimeKind {
        let midnight_day_one = self.year == 1
            && self.month == 1
            && self.day == 1
            && self.hour == 0
            && self.minute == 0
            && self.second == 0
            && self.nanos == 0;
        if midnight_day_one && self.is_zero_offset() {
            DateTimeKind::Unknown
        } else if self.year == 9999
            && self.month == 12
            && self.day == 31
            && self.hour == 23
            && self.minute == 59
            && self.second == 59
            && self.is_zero_offset()
        {
            DateTimeKind::Infinite
        } else if self.year < 1000 {
            DateTimeKind::Relative
        } else {
            DateTimeKind::Absolute
        }
    }

    fn seconds_since_day_one(&self) -> i64 {
        let days = days_from_civil(i64::from(self.year), self.month, self.day) - DAY_ONE;
        days * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
    }

    /// For a relative time, the time since boot.
    pub fn since_boot(&self) -> Option<Duration> {
        if self.kind() != DateTimeKind::Relative {
            return None;
        }
        let secs = u64::try_from(self.seconds_since_day_one()).ok()?;
        Some(Duration::new(secs, self.nanos))
    }

    /// Seconds since the Unix epoch of an absolute time (an untimezoned one is read as UTC).
    /// `None` for relative, Unknown and Infinite times.
    pub fn unix_seconds(&self) -> Option<i64> {
        if self.kind() != DateTimeKind::Absolute {
            return None;
        }
        let days = days_from_civil(i64::from(self.year), self.month, self.day);
        let local = days * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second);
        let shift = match self.offset {
            Offset::Fixed { minutes, .. } => i64::from(minutes) * 60,
            Offset::None | Offset::Utc => 0,
        };
        Some(local - shift)
    }

    /// The absolute time as a [`SystemTime`]; `None` for relative, Unknown and Infinite times.
    pub fn to_system_time(&self) -> Option<SystemTime> {
        let secs = self.unix_seconds()?;
        if secs >= 0 {
            UNIX_EPOCH.checked_add(Duration::new(u64::try_from(secs).ok()?, self.nanos))
        } else {
            let back = Duration::from_secs(secs.unsigned_abs());
            UNIX_EPOCH
                .checked_sub(back)?
                .checked_add(Duration::from_nanos(u64::from(self.nanos)))
        }
    }
}

struct Cursor<'s> {
    bytes: &'s [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn err(&self) -> DateTimeError {
        DateTimeError::Syntax { offset: self.pos }
    }

    fn digits(&mut self, n: usize) -> Result<u32, DateTimeError> {
        let mut value = 0u32;
        for _ in 0..n {
            match self.bytes.get(self.pos) {
                Some(b @ b'0'..=b'9') => {
                    value = value * 10 + u32::from(b - b'0');
                    self.pos += 1;
                }
                _ => return Err(self.err()),
            }
        }
        Ok(value)
    }

    fn expect(&mut self, c: u8) -> Result<(), DateTimeError> {
        if self.bytes.get(self.pos) == Some(&c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.err())
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }
}

fn range(field: &'static str, value: u32, lo: u32, hi: u32) -> Result<u8, DateTimeError> {
    if (lo..=hi).contains(&value) {
        u8::try_from(value).map_err(|_| DateTimeError::Range { field })
    } else {
        Err(DateTimeError::Range { field })
    }
}

impl FromStr for DateTime {
    type Err = DateTimeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut c = Cursor {
            bytes: s.as_bytes(),
            pos: 0,
        };
        let year = c.digits(4)?;
        c.expect(b'-')?;
        let month = c.digits(2)?;
        c.expect(b'-')?;
        let day = c.digits(2)?;
        c.expect(b'T')?;
        let hour = c.digits(2)?;
        c.expect(b':')?;
        let minute = c.digits(2)?;
        c.expect(b':')?;
        let second = c.digits(2)?;
        let (mut nanos, mut frac_digits) = (0u32, 0u8);
        if c.peek() == Some(b'.') {
            c.pos += 1;
            while let Some(b @ b'0'..=b'9') = c.peek() {
                if frac_digits == 9 {
                    return Err(c.err());
                }
                nanos = nanos * 10 + u32::from(b - b'0');
                frac_digits += 1;
                c.pos += 1;
            }
            if frac_digits == 0 {
                return Err(c.err());
            }
            nanos *= 10u32.pow(9 - u32::from(frac_digits));
        }
        let offset = match c.peek() {
            None => Offset::None,
            Some(b'Z') => {
                c.pos += 1;
                Offset::Utc
            }
            Some(sign @ (b'+' | b'-')) => {
                c.pos += 1;
                let h = c.digits(2)?;
                c.expect(b':')?;
                let m = c.digits(2)?;
                if h > 14 || m > 59 || (h == 14 && m > 0) {
                    return Err(DateTimeError::Range { field: "offset" });
                }
                let total = i16::try_from(h * 60 + m)
                    .map_err(|_| DateTimeError::Range { field: "offset" })?;
                let negative = sign == b'-';
                Offset::Fixed {
                    minutes: if negative { -total } else { total },
                    negative,
                }
            }
            Some(_) => return Err(c.err()),
        };
        if c.pos != s.len() {
            return Err(c.err());
        }
        let year = u16::try_from(year).map_err(|_| DateTimeError::Range { field: "year" })?;
        if year == 0 {
            return Err(DateTimeError::Range { field: "year" });
        }
        let month = range("month", month, 1, 12)?;
        let day = range(
            "day",
            day,
            1,
            u32::from(days_in_month(i64::from(year), month)),
        )?;
        Ok(DateTime {
            year,
            month,
            day,
            hour: range("hour", hour, 0, 23)?,
            minute: range("minute", minute, 0, 59)?,
            second: range("second", second, 0, 59)?,
            nanos,
            frac_digits,
            offset,
        })
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )?;
        if self.frac_digits > 0 {
            let digits = u32::from(self.frac_digits.min(9));
            let frac = self.nanos / 10u32.pow(9 - digits);
            write!(f, ".{:0width$}", frac, width = digits as usize)?;
        }
        match self.offset {
            Offset::None => Ok(()),
            Offset::Utc => f.write_str("Z"),
            Offset::Fixed { minutes, negative } => {
                let sign = if negative || minutes < 0 { '-' } else { '+' };
                let abs = minutes.unsigned_abs();
                write!(f, "{sign}{:02}:{:02}", abs / 60, abs % 60)
            }
        }
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for DateTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for DateTime {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A dateTime field of a message, kept as the text that was received or will be sent.
///
/// ```
/// use cwmp_core::datetime::{DateTime, DateTimeText};
/// let t = DateTimeText::from(DateTime::UNKNOWN);
/// assert_eq!(t.as_str(), "0001-01-01T00:00:00Z");
/// assert_eq!(t.parse(), Ok(DateTime::UNKNOWN));
/// assert!(DateTimeText::new("2019-03-05T11:54::14").parse().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct DateTimeText<'a>(pub Cow<'a, str>);

impl<'a> DateTimeText<'a> {
    /// Wraps text without checking it.
    pub fn new(text: impl Into<Cow<'a, str>>) -> Self {
        DateTimeText(text.into())
    }

    /// The Unknown Time.
    pub const UNKNOWN: DateTimeText<'static> = DateTimeText(Cow::Borrowed("0001-01-01T00:00:00Z"));

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Parses the text.
    pub fn parse(&self) -> Result<DateTime, DateTimeError> {
        self.0.parse()
    }

    /// Converts a borrowed text into an owned one.
    pub fn into_owned(self) -> DateTimeText<'static> {
        DateTimeText(Cow::Owned(self.0.into_owned()))
    }
}

impl Default for DateTimeText<'_> {
    fn default() -> Self {
        DateTimeText(Cow::Borrowed("0001-01-01T00:00:00Z"))
    }
}

impl From<DateTime> for DateTimeText<'static> {
    fn from(t: DateTime) -> Self {
        DateTimeText(Cow::Owned(t.to_string()))
    }
}

impl fmt::Display for DateTimeText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(s: &str) -> DateTime {
        s.parse().unwrap()
    }

    #[test]
    fn the_five_forms_of_val_02_round_trip_and_classify() {
        let cases = [
            ("2014-09-10T11:12:13Z", DateTimeKind::Absolute),
            ("2015-01-19T23:08:24-05:00", DateTimeKind::Absolute),
            ("0001-01-03T03:04:05", DateTimeKind::Relative),
            ("0001-01-01T00:00:00Z", DateTimeKind::Unknown),
            ("9999-12-31T23:59:59Z", DateTimeKind::Infinite),
            ("0001-01-01T00:00:00.000000Z", DateTimeKind::Unknown),
            ("2015-01-19T23:08:24", DateTimeKind::Absolute),
            ("0001-01-03T03:04:05Z", DateTimeKind::Relative),
            ("2020-02-29T00:00:00.5+00:00", DateTimeKind::Absolute),
            ("2020-02-29T00:00:00-00:00", DateTimeKind::Absolute),
        ];
        for (text, kind) in cases {
            let t = dt(text);
            assert_eq!(t.to_string(), text);
            assert_eq!(t.kind(), kind, "{text}");
        }
    }

    #[test]
    fn malformed_and_out_of_range_are_refused() {
        assert_eq!(
            "2019-03-05T11:54::14".parse::<DateTime>(),
            Err(DateTimeError::Syntax { offset: 17 })
        );
        for bad in [
            "",
            "2019-13-01T00:00:00Z",
            "2019-02-29T00:00:00Z",
            "2019-04-31T00:00:00Z",
            "2019-01-01T24:00:00Z",
            "2019-01-01T00:60:00Z",
            "0000-01-01T00:00:00Z",
            "2019-01-01T00:00:00.Z",
            "2019-01-01T00:00:00.1234567891Z",
            "2019-01-01T00:00:00+15:00",
            "2019-01-01T00:00:00Zjunk",
            "2019-01-01 00:00:00Z",
        ] {
            assert!(bad.parse::<DateTime>().is_err(), "{bad}");
        }
    }

    #[test]
    fn system_time_conversions() {
        let t = dt("2023-11-14T22:13:20Z");
        assert_eq!(t.unix_seconds(), Some(1_700_000_000));
        assert_eq!(
            dt("2023-11-14T23:13:20+01:00").unix_seconds(),
            Some(1_700_000_000)
        );
        assert_eq!(dt("1969-12-31T23:59:59Z").unix_seconds(), Some(-1));
        let st = UNIX_EPOCH + Duration::new(1_700_000_000, 250_000_000);
        let back = DateTime::from_system_time(st).unwrap();
        assert_eq!(back.to_string(), "2023-11-14T22:13:20.250Z");
        assert_eq!(back.to_system_time(), Some(st));
        assert_eq!(
            back.with_fraction_digits(0).to_string(),
            "2023-11-14T22:13:20Z"
        );
        assert_eq!(DateTime::UNKNOWN.to_system_time(), None);
        assert_eq!(DateTime::INFINITE.kind(), DateTimeKind::Infinite);
    }

    #[test]
    fn relative_times() {
        let d = Duration::from_secs(2 * 86400 + 3 * 3600 + 4 * 60 + 5);
        let t = DateTime::relative(d).unwrap();
        assert_eq!(t.to_string(), "0001-01-03T03:04:05");
        assert_eq!(t.since_boot(), Some(d));
        assert_eq!(
            dt("0001-01-04T14:14:00").since_boot(),
            Some(Duration::from_secs(3 * 86400 + 14 * 3600 + 14 * 60))
        );
        assert_eq!(dt("2001-01-01T00:00:00Z").since_boot(), None);
        assert!(DateTime::relative(Duration::from_secs(400 * 366 * 86400 * 3)).is_none());
    }
}
