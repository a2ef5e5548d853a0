//! Open string codes of file transfers: [`FileType`] and [`TimeWindowMode`].

use std::borrow::Cow;
use std::fmt;

/// A transfer FileType such as `1 Firmware Upgrade Image`; any other text is kept as-is.
///
/// Download, Upload and the transfer lists number their types differently (download `4 Tone
/// File`, upload `4 Vendor Log File <n>`); the constants are named for their list.
///
/// ```
/// use cwmp_core::filetype::FileType;
/// assert_eq!(FileType::FIRMWARE_UPGRADE_IMAGE.number(), Some(1));
/// assert!(FileType::new("X 00256D Special").is_vendor());
/// assert!(FileType::new("3 Vendor Configuration File 2").is_valid_upload());
/// assert!(!FileType::new("7 Nothing").is_valid_download());
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct FileType<'a>(pub Cow<'a, str>);

impl FileType<'static> {
    /// Download `1 Firmware Upgrade Image`.
    pub const FIRMWARE_UPGRADE_IMAGE: FileType<'static> =
        FileType(Cow::Borrowed("1 Firmware Upgrade Image"));
    /// Download `2 Web Content`.
    pub const WEB_CONTENT: FileType<'static> = FileType(Cow::Borrowed("2 Web Content"));
    /// Download `3 Vendor Configuration File`.
    pub const DOWNLOAD_VENDOR_CONFIGURATION_FILE: FileType<'static> =
        FileType(Cow::Borrowed("3 Vendor Configuration File"));
    /// Download `4 Tone File` (1.2).
    pub const TONE_FILE: FileType<'static> = FileType(Cow::Borrowed("4 Tone File"));
    /// Download `5 Ringer File` (1.2).
    pub const RINGER_FILE: FileType<'static> = FileType(Cow::Borrowed("5 Ringer File"));
    /// Download `6 Stored Firmware Image` (Amendment 6).
    pub const STORED_FIRMWARE_IMAGE: FileType<'static> =
        FileType(Cow::Borrowed("6 Stored Firmware Image"));
    /// Upload `1 Vendor Configuration File`.
    pub const UPLOAD_VENDOR_CONFIGURATION_FILE: FileType<'static> =
        FileType(Cow::Borrowed("1 Vendor Configuration File"));
    /// Upload `2 Vendor Log File`.
    pub const VENDOR_LOG_FILE: FileType<'static> = FileType(Cow::Borrowed("2 Vendor Log File"));
}

const DOWNLOAD_NAMES: [&str; 6] = [
    "Firmware Upgrade Image",
    "Web Content",
    "Vendor Configuration File",
    "Tone File",
    "Ringer File",
    "Stored Firmware Image",
];

impl<'a> FileType<'a> {
    /// Wraps any text.
    pub fn new(text: impl Into<Cow<'a, str>>) -> Self {
        FileType(text.into())
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The leading number of a numbered type.
    pub fn number(&self) -> Option<u32> {
        let (num, rest) = self.0.split_once(' ')?;
        (!rest.is_empty()).then_some(())?;
        num.parse().ok().filter(|n| *n >= 1)
    }

    /// Whether the type is a vendor type: `X <OUI or domain> <name>`.
    pub fn is_vendor(&self) -> bool {
        match self.0.strip_prefix("X ").and_then(|r| r.split_once(' ')) {
            Some((org, name)) => !org.is_empty() && !name.is_empty(),
            None => false,
        }
    }

    fn within_limit(&self) -> bool {
        self.0.chars().count() <= crate::limits::FILE_TYPE
    }

    /// Whether the text is one of the DownloadFileType forms (the six defined types or vendor).
    pub fn is_valid_download(&self) -> bool {
        self.within_limit()
            && (self.is_vendor()
                || DOWNLOAD_NAMES
                    .iter()
                    .zip(1..)
                    .any(|(name, n)| self.0.strip_prefix(&format!("{n} ")) == Some(name)))
    }

    /// Whether the text is one of the UploadFileType forms: `1 Vendor Configuration File`,
    /// `2 Vendor Log File`, `3 Vendor Configuration File <n>`, `4 Vendor Log File <n>` or vendor.
    pub fn is_valid_upload(&self) -> bool {
        if !self.within_limit() {
            return false;
        }
        if self.is_vendor()
            || self.0 == "1 Vendor Configuration File"
            || self.0 == "2 Vendor Log File"
        {
            return true;
        }
        let instance = |prefix: &str| {
            self.0.strip_prefix(prefix).is_some_and(|n| {
                !n.starts_with('0') && !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())
            })
        };
        instance("3 Vendor Configuration File ") || instance("4 Vendor Log File ")
    }

    /// Whether the text is a TransferFileType (download or upload numbering).
    pub fn is_valid_transfer(&self) -> bool {
        self.is_valid_download() || self.is_valid_upload()
    }

    /// Converts a borrowed code into an owned one.
    pub fn into_owned(self) -> FileType<'static> {
        FileType(Cow::Owned(self.0.into_owned()))
    }
}

impl fmt::Debug for FileType<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FileType({:?})", self.0)
    }
}

impl fmt::Display for FileType<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'a> From<&'a str> for FileType<'a> {
    fn from(s: &'a str) -> Self {
        FileType(Cow::Borrowed(s))
    }
}

/// The WindowMode of a ScheduleDownload time window; any other text is kept as-is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct TimeWindowMode<'a>(pub Cow<'a, str>);

impl TimeWindowMode<'static> {
    /// `1 At Any Time`.
    pub const AT_ANY_TIME: TimeWindowMode<'static> = TimeWindowMode(Cow::Borrowed("1 At Any Time"));
    /// `2 Immediately`.
    pub const IMMEDIATELY: TimeWindowMode<'static> = TimeWindowMode(Cow::Borrowed("2 Immediately"));
    /// `3 When Idle`.
    pub const WHEN_IDLE: TimeWindowMode<'static> = TimeWindowMode(Cow::Borrowed("3 When Idle"));
    /// `4 Confirmation Needed`.
    pub const CONFIRMATION_NEEDED: TimeWindowMode<'static> =
        TimeWindowMode(Cow::Borrowed("4 Confirmation Needed"));
}

impl<'a> TimeWindowMode<'a> {
    /// Wraps any text.
    pub fn new(text: impl Into<Cow<'a, str>>) -> Self {
        TimeWindowMode(text.into())
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the text is a defined mode or a vendor `X <org> <name>` mode, within 64 characters.
    pub fn is_valid(&self) -> bool {
        let defined = [
            "1 At Any Time",
            "2 Immediately",
            "3 When Idle",
            "4 Confirmation Needed",
        ];
        self.0.chars().count() <= 64
            && (defined.contains(&&*self.0) || FileType(Cow::Borrowed(&*self.0)).is_vendor())
    }

    /// Converts a borrowed code into an owned one.
    pub fn into_owned(self) -> TimeWindowMode<'static> {
        TimeWindowMode(Cow::Owned(self.0.into_owned()))
    }
}

/// A parameter's notification setting: 0–2 since 1.0, 3–6 (lightweight) since 1.4.
///
/// ```
/// use cwmp_core::filetype::Notification;
/// assert_eq!(Notification::ACTIVE.get(), 2);
/// assert_eq!(Notification::new(5).name(), Some("active lightweight"));
/// assert!(!Notification::new(7).is_defined());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct Notification(i32);

impl Notification {
    /// 0: off.
    pub const OFF: Notification = Notification(0);
    /// 1: passive.
    pub const PASSIVE: Notification = Notification(1);
    /// 2: active.
    pub const ACTIVE: Notification = Notification(2);
    /// 3: passive lightweight (1.4).
    pub const PASSIVE_LIGHTWEIGHT: Notification = Notification(3);
    /// 4: passive and passive lightweight (1.4).
    pub const PASSIVE_AND_PASSIVE_LIGHTWEIGHT: Notification = Notification(4);
    /// 5: active lightweight (1.4).
    pub const ACTIVE_LIGHTWEIGHT: Notification = Notification(5);
    /// 6: passive and active lightweight (1.4).
    pub const PASSIVE_AND_ACTIVE_LIGHTWEIGHT: Notification = Notification(6);

    /// Wraps any value.
    pub const fn new(v: i32) -> Self {
        Notification(v)
    }

    /// The numeric value.
    pub const fn get(self) -> i32 {
        self.0
    }

    /// Whether the value is 0–6.
    pub const fn is_defined(self) -> bool {
        matches!(self.0, 0..=6)
    }

    /// The name of a defined value.
    pub const fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            0 => "off",
            1 => "passive",
            2 => "active",
            3 => "passive lightweight",
            4 => "passive and passive lightweight",
            5 => "active lightweight",
            6 => "passive and active lightweight",
            _ => return None,
        })
    }

    /// The version that defined the value.
    pub const fn since(self) -> Option<crate::CwmpVersion> {
        match self.0 {
            0..=2 => Some(crate::CwmpVersion::V1_0),
            3..=6 => Some(crate::CwmpVersion::V1_4),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn download_types() {
        for t in [
            FileType::FIRMWARE_UPGRADE_IMAGE,
            FileType::WEB_CONTENT,
            FileType::DOWNLOAD_VENDOR_CONFIGURATION_FILE,
            FileType::TONE_FILE,
            FileType::RINGER_FILE,
            FileType::STORED_FIRMWARE_IMAGE,
            FileType::new("X 00256D Custom"),
            FileType::new("X example.com Custom Thing"),
        ] {
            assert!(t.is_valid_download(), "{t}");
        }
        for t in ["7 Future", "1 Web Content", "Firmware", "X 00256D", ""] {
            assert!(!FileType::new(t).is_valid_download(), "{t}");
        }
    }

    #[test]
    fn upload_types() {
        for t in [
            "1 Vendor Configuration File",
            "2 Vendor Log File",
            "3 Vendor Configuration File 1",
            "4 Vendor Log File 12",
        ] {
            assert!(FileType::new(t).is_valid_upload(), "{t}");
        }
        for t in [
            "3 Vendor Configuration File",
            "4 Vendor Log File 0",
            "4 Vendor Log File x",
            "1 Firmware Upgrade Image",
        ] {
            assert!(!FileType::new(t).is_valid_upload(), "{t}");
        }
        assert!(FileType::new("4 Tone File").is_valid_transfer());
        assert!(FileType::new("4 Vendor Log File 2").is_valid_transfer());
    }

    #[test]
    fn numbers_and_limits() {
        assert_eq!(FileType::VENDOR_LOG_FILE.number(), Some(2));
        assert_eq!(FileType::new("X 1 2").number(), None);
        let at_limit = format!("X 00256D {}", "a".repeat(55));
        assert!(FileType::new(at_limit.clone()).is_valid_download());
        assert!(!FileType::new(format!("{at_limit}a")).is_valid_download());
    }

    #[test]
    fn time_window_modes_and_notifications() {
        assert!(TimeWindowMode::WHEN_IDLE.is_valid());
        assert!(TimeWindowMode::new("X 00256D Night").is_valid());
        assert!(!TimeWindowMode::new("5 Never").is_valid());
        for v in 0..=6 {
            assert!(Notification::new(v).is_defined());
        }
        assert_eq!(Notification::new(2).since(), Some(crate::CwmpVersion::V1_0));
        assert_eq!(Notification::new(3).since(), Some(crate::CwmpVersion::V1_4));
        assert_eq!(Notification::new(-1).name(), None);
    }
}
