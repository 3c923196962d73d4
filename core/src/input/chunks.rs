//! A text file read a piece at a time, each piece ending at a line end: a large order history is parsed
//! piece by piece and never held whole in memory.

use crate::error::{Error, Result};
use std::fs::File;
use std::io::Read;
use std::path::Path;

/// Bytes read at a time: enough lines to keep every core busy parsing, little memory next to a large file.
pub(crate) const CHUNK_BYTES: usize = 8 << 20;

/// A file's text in pieces of whole lines.
pub(crate) struct LineChunks<'p> {
    path: &'p Path,
    file: File,
    /// Bytes read past the last line end handed out.
    carry: Vec<u8>,
    /// The file offset of `carry[0]` (for the position of a UTF-8 error).
    carry_at: u64,
    /// The 1-based line number of `carry`'s first line.
    next_line: u64,
    ended: bool,
}

/// One piece: its text (whole lines) and the number of its first line.
pub(crate) struct Chunk {
    pub first_line: u64,
    pub text: String,
}

impl<'p> LineChunks<'p> {
    pub fn open(path: &'p Path) -> Result<Self> {
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        Ok(LineChunks { path, file, carry: Vec::new(), carry_at: 0, next_line: 1, ended: false })
    }

    /// The next piece, `None` after the last. A line longer than a piece makes the piece longer.
    pub fn next_chunk(&mut self) -> Result<Option<Chunk>> {
        let mut end = None;
        while end.is_none() && !self.ended {
            let from = self.carry.len();
            let read = self.read_more()?;
            self.ended = read == 0;
            end = memchr::memrchr(b'\n', &self.carry[from..]).map(|p| from + p + 1);
        }
        let end = if self.ended { self.carry.len() } else { end.expect("loop ends on a line end") };
        if end == 0 {
            return Ok(None);
        }
        let rest = self.carry[end..].to_vec();
        self.carry.truncate(end);
        let bytes = std::mem::replace(&mut self.carry, rest);
        let first_line = self.next_line;
        self.next_line += memchr::memchr_iter(b'\n', &bytes).count() as u64;
        let at = self.carry_at;
        self.carry_at += bytes.len() as u64;
        let text = String::from_utf8(bytes).map_err(|e| {
            let byte = at + e.utf8_error().valid_up_to() as u64;
            Error::invalid("", format!("file is not UTF-8 text (byte {byte})")).in_file(self.path.display().to_string())
        })?;
        Ok(Some(Chunk { first_line, text }))
    }

    /// Append up to a piece's worth of the file to `carry` (into its spare room, not zeroed first); the bytes read.
    fn read_more(&mut self) -> Result<usize> {
        self.carry.reserve(CHUNK_BYTES);
        (&mut self.file).take(CHUNK_BYTES as u64).read_to_end(&mut self.carry).map_err(|e| Error::io(self.path, e))
    }

    /// Everything not yet handed out, as one piece (formats that cannot be split at line ends).
    pub fn rest(mut self) -> Result<Option<Chunk>> {
        let mut all = String::new();
        let mut first_line = None;
        while let Some(c) = self.next_chunk()? {
            first_line.get_or_insert(c.first_line);
            all.push_str(&c.text);
        }
        Ok(first_line.map(|first_line| Chunk { first_line, text: all }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &[u8]) -> Result<Vec<(u64, String)>> {
        let dir = std::env::temp_dir().join(format!("cartlift-chunks-{}-{}", std::process::id(), text.len()));
        std::fs::write(&dir, text).unwrap();
        let read = || -> Result<Vec<(u64, String)>> {
            let mut chunks = LineChunks::open(&dir)?;
            let mut out = Vec::new();
            while let Some(c) = chunks.next_chunk()? {
                out.push((c.first_line, c.text));
            }
            Ok(out)
        };
        let out = read();
        std::fs::remove_file(&dir).unwrap();
        out
    }

    #[test]
    fn pieces_end_at_line_ends_and_number_their_lines() {
        let line = "x".repeat(1000) + "\n";
        let text = line.repeat(CHUNK_BYTES / 1000 * 3) + "last line without an end";
        let got = pieces(text.as_bytes()).unwrap();
        assert!(got.len() >= 3, "{} pieces", got.len());
        assert_eq!(got.iter().map(|p| p.1.as_str()).collect::<String>(), text);
        let mut line_no = 1;
        for (first, t) in &got {
            assert_eq!(*first, line_no);
            line_no += t.matches('\n').count() as u64;
            assert!(t.ends_with('\n') || t.ends_with("end"));
        }
    }

    #[test]
    fn a_bad_byte_is_reported_at_its_file_offset() {
        let mut text = "a\n".repeat(CHUNK_BYTES).into_bytes();
        text.extend_from_slice(b"ok\n\xff\n");
        let e = pieces(&text).expect_err("not UTF-8");
        assert!(e.message.contains(&format!("byte {}", CHUNK_BYTES * 2 + 3)), "{}", e.message);
    }

    #[test]
    fn an_empty_file_has_no_pieces() {
        assert!(pieces(b"").unwrap().is_empty());
    }
}
