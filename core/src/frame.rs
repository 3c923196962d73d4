//! The framing of cartlift's binary files (models, partial counts): magic (8 bytes) · format version u32 ·
//! payload length u64 · CRC-32 of the payload u32 · payload. Each reader checks the magic and the version its
//! own way; the length and checksum are checked here, before anything is decoded.

use crate::error::{Error, Result};

/// Bytes before the payload.
pub const HEADER: usize = 8 + 4 + 8 + 4;

/// Frame `payload` behind `magic` and `version`.
pub fn encode(magic: &[u8; 8], version: u32, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER + payload.len());
    out.extend_from_slice(magic);
    out.extend_from_slice(&version.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
    out.extend_from_slice(payload);
    out
}

/// The format version of framed bytes whose header is whole (`bytes.len() >= HEADER`).
pub fn version(bytes: &[u8]) -> u32 {
    u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"))
}

/// How errors name what is read: "model file is" / "model file has", "counts are" / "counts have".
pub struct Subject {
    pub is: &'static str,
    pub has: &'static str,
}

/// The payload of framed bytes whose header is whole, once its length and checksum match.
pub fn payload<'b>(bytes: &'b [u8], subject: &Subject) -> Result<&'b [u8]> {
    let len = u64::from_le_bytes(bytes[12..20].try_into().expect("8 bytes"));
    let crc = u32::from_le_bytes(bytes[20..24].try_into().expect("4 bytes"));
    let payload = &bytes[HEADER..];
    if (payload.len() as u64) < len {
        let is = subject.is;
        return Err(Error::corrupt(format!("{is} truncated ({} of {len} payload bytes)", payload.len())));
    }
    if payload.len() as u64 > len {
        return Err(Error::corrupt(format!("{} trailing bytes after the payload", subject.has)));
    }
    if crc32fast::hash(payload) != crc {
        return Err(Error::corrupt(format!("{} corrupt (checksum mismatch)", subject.is)));
    }
    Ok(payload)
}
