//! Time: RFC 3339 text to Unix seconds and back, and the one place a request's `now` is resolved.

use crate::error::{Error, Result};

/// Parse an RFC 3339 timestamp into Unix seconds.
pub fn parse_time(text: &str, field: &str) -> Result<i64> {
    time::OffsetDateTime::parse(text.trim(), &time::format_description::well_known::Rfc3339)
        .map(|t| t.unix_timestamp())
        .map_err(|e| Error::invalid(field, format!("{text:?} is not an RFC 3339 timestamp ({e})")))
}

/// Format Unix seconds as RFC 3339 (UTC).
pub fn format_time(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_else(|| unix.to_string())
}

/// The time a request is answered at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Now {
    given: Option<i64>,
    at: i64,
}

impl Now {
    /// A request's optional `now` (RFC 3339; an error names the field `now`), else the system clock, read once
    /// so that every stage of one request sees the same time.
    pub(crate) fn resolve(now: Option<&str>) -> Result<Now> {
        let given = now.map(|t| parse_time(t, "now")).transpose()?;
        Ok(Now { given, at: given.unwrap_or_else(|| time::OffsetDateTime::now_utc().unix_timestamp()) })
    }

    /// Unix seconds: the request's `now`, else the clock.
    pub(crate) fn at(self) -> i64 {
        self.at
    }

    /// The request's own `now`, if it gave one: learned declines count back from it, else from the newest
    /// event, so that a request without a time answers the same on every day.
    pub(crate) fn given(self) -> Option<i64> {
        self.given
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_round_trip() {
        assert!(parse_time("yesterday", "created_at").is_err());
        assert_eq!(format_time(1483271606), "2017-01-01T11:53:26Z");
        assert_eq!(parse_time("2017-01-01T11:53:26Z", "t").unwrap(), 1483271606);
    }

    #[test]
    fn now_is_the_request_time_else_the_clock() {
        let given = Now::resolve(Some("2017-01-01T11:53:26Z")).unwrap();
        assert_eq!((given.given(), given.at()), (Some(1483271606), 1483271606));
        let clock = Now::resolve(None).unwrap();
        assert_eq!(clock.given(), None);
        assert!(clock.at() > 1483271606);
        let e = Now::resolve(Some("soon")).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("now"));
    }
}
