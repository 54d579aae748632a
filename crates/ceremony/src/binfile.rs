//! The iden3 binary container shared by `.ptau`, `.zkey` and `.r1cs`:
//! `magic[4] ‖ version u32 ‖ nSections u32 ‖ (id u32 ‖ size u64 ‖ data)*`, all
//! little-endian. Readers here require each allowed section at most once, no
//! unknown section and no byte after the last section.

use std::collections::BTreeMap;

use crate::error::DecodeError;

/// A parsed container: section id → contents.
pub(crate) struct BinFile<'a> {
    pub(crate) file: &'static str,
    pub(crate) sections: BTreeMap<u32, &'a [u8]>,
}

impl<'a> BinFile<'a> {
    /// Parses `bytes`, allowing only the section ids in `allowed`.
    pub(crate) fn parse(
        bytes: &'a [u8],
        magic: &[u8; 4],
        file: &'static str,
        allowed: &[u32],
    ) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes, file);
        if r.bytes(4, "magic")? != magic {
            return Err(DecodeError::BadMagic { file });
        }
        let version = r.u32("version")?;
        if version != 1 {
            return Err(DecodeError::BadVersion { file, version });
        }
        let n = r.u32("section count")?;
        let mut sections = BTreeMap::new();
        for _ in 0..n {
            let id = r.u32("section id")?;
            let size = r.u64("section size")?;
            let size = usize::try_from(size)
                .map_err(|_| DecodeError::Truncated { file, what: format!("section {id}") })?;
            let data = r.bytes(size, "section data")?;
            if !allowed.contains(&id) {
                return Err(DecodeError::Section { file, id, problem: "unknown" });
            }
            if sections.insert(id, data).is_some() {
                return Err(DecodeError::Section { file, id, problem: "duplicated" });
            }
        }
        r.finish("the last section")?;
        Ok(Self { file, sections })
    }

    /// The contents of section `id`, or `missing`.
    pub(crate) fn section(&self, id: u32) -> Result<&'a [u8], DecodeError> {
        self.sections.get(&id).copied().ok_or(DecodeError::Section {
            file: self.file,
            id,
            problem: "missing",
        })
    }

    /// Section `id`, which must be exactly `expected` bytes.
    pub(crate) fn sized(&self, id: u32, what: &'static str, expected: u64) -> Result<&'a [u8], DecodeError> {
        let s = self.section(id)?;
        if s.len() as u64 != expected {
            return Err(DecodeError::SectionSize {
                file: self.file,
                id,
                what,
                expected,
                found: s.len() as u64,
            });
        }
        Ok(s)
    }
}

/// Writes a container with the sections in the given order.
pub(crate) fn write(magic: &[u8; 4], sections: &[(u32, &[u8])]) -> Vec<u8> {
    let total: usize = sections.iter().map(|(_, d)| 12 + d.len()).sum();
    let mut out = Vec::with_capacity(12 + total);
    out.extend_from_slice(magic);
    out.extend_from_slice(&1u32.to_le_bytes());
    out.extend_from_slice(&(sections.len() as u32).to_le_bytes());
    for (id, data) in sections {
        out.extend_from_slice(&id.to_le_bytes());
        out.extend_from_slice(&(data.len() as u64).to_le_bytes());
        out.extend_from_slice(data);
    }
    out
}

/// A bounds-checked little-endian cursor.
pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    file: &'static str,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(buf: &'a [u8], file: &'static str) -> Self {
        Self { buf, pos: 0, file }
    }

    pub(crate) fn bytes(&mut self, n: usize, what: &str) -> Result<&'a [u8], DecodeError> {
        if self.buf.len() - self.pos < n {
            return Err(DecodeError::Truncated { file: self.file, what: what.to_owned() });
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    pub(crate) fn u8(&mut self, what: &str) -> Result<u8, DecodeError> {
        Ok(self.bytes(1, what)?[0])
    }

    pub(crate) fn u32(&mut self, what: &str) -> Result<u32, DecodeError> {
        let mut b = [0u8; 4];
        b.copy_from_slice(self.bytes(4, what)?);
        Ok(u32::from_le_bytes(b))
    }

    pub(crate) fn u64(&mut self, what: &str) -> Result<u64, DecodeError> {
        let mut b = [0u8; 8];
        b.copy_from_slice(self.bytes(8, what)?);
        Ok(u64::from_le_bytes(b))
    }

    pub(crate) fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    pub(crate) fn finish(&self, what: &str) -> Result<(), DecodeError> {
        if self.pos != self.buf.len() {
            return Err(DecodeError::TrailingData { file: self.file, what: what.to_owned() });
        }
        Ok(())
    }
}
