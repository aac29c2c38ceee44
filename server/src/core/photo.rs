//! Photos: format checked from the bytes, location and other metadata stripped, stored
//! once under the data dir by SHA-256 of the stored bytes, thumbnails made on first use.

use std::io::Write;
use std::path::{Path, PathBuf};

use bytes::Bytes;
use img_parts::ImageEXIF;
use img_parts::jpeg::Jpeg;
use img_parts::png::Png;
use img_parts::webp::{CHUNK_XMP, WebP};
use sha2::{Digest, Sha256};

/// Photos may be up to 10 MiB.
pub const PHOTO_LIMIT: usize = 10 * 1024 * 1024;

/// Longest side of a thumbnail, in pixels.
pub const THUMB_SIZE: u32 = 320;

/// The most pixels a photo may have (a phone's camera has fewer): more is refused at
/// upload, from the header, before anything is decoded.
pub const MAX_PIXELS: u64 = 40_000_000;

/// The most memory one thumbnail's decoding may take.
const DECODE_MAX_ALLOC: u64 = 256 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Jpeg,
    Png,
    Webp,
}

impl Kind {
    pub fn from_mime(ct: &str) -> Option<Kind> {
        match ct
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
            .as_str()
        {
            "image/jpeg" => Some(Kind::Jpeg),
            "image/png" => Some(Kind::Png),
            "image/webp" => Some(Kind::Webp),
            _ => None,
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Kind::Jpeg => "image/jpeg",
            Kind::Png => "image/png",
            Kind::Webp => "image/webp",
        }
    }

    fn ext(self) -> &'static str {
        match self {
            Kind::Jpeg => "jpg",
            Kind::Png => "png",
            Kind::Webp => "webp",
        }
    }

    fn image_format(self) -> image::ImageFormat {
        match self {
            Kind::Jpeg => image::ImageFormat::Jpeg,
            Kind::Png => image::ImageFormat::Png,
            Kind::Webp => image::ImageFormat::WebP,
        }
    }
}

/// The format the bytes really are, from their signature.
pub fn sniff(b: &[u8]) -> Option<Kind> {
    if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(Kind::Jpeg)
    } else if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(Kind::Png)
    } else if b.len() >= 12 && &b[0..4] == b"RIFF" && &b[8..12] == b"WEBP" {
        Some(Kind::Webp)
    } else {
        None
    }
}

/// Removes EXIF (GPS), XMP, IPTC and text metadata; keeps pixels and colour profiles.
/// `None` when the container does not parse.
pub fn strip(kind: Kind, bytes: Bytes) -> Option<Bytes> {
    match kind {
        Kind::Jpeg => {
            let mut j = Jpeg::from_bytes(bytes).ok()?;
            // APP1: EXIF and XMP; APP13: Photoshop/IPTC.
            j.remove_segments_by_marker(0xE1);
            j.remove_segments_by_marker(0xED);
            Some(j.encoder().bytes())
        }
        Kind::Png => {
            let mut p = Png::from_bytes(bytes).ok()?;
            for chunk in [*b"eXIf", *b"tEXt", *b"zTXt", *b"iTXt"] {
                p.remove_chunks_by_type(chunk);
            }
            Some(p.encoder().bytes())
        }
        Kind::Webp => {
            let mut w = WebP::from_bytes(bytes).ok()?;
            w.remove_chunks_by_id(CHUNK_XMP);
            w.set_exif(None);
            Some(w.encoder().bytes())
        }
    }
}

/// The width and height the image's header declares, if it reads as an image of `kind`.
pub fn dimensions(kind: Kind, bytes: &[u8]) -> Option<(u32, u32)> {
    image::ImageReader::with_format(std::io::Cursor::new(bytes), kind.image_format())
        .into_dimensions()
        .ok()
        .filter(|(w, h)| *w > 0 && *h > 0)
}

/// Whether the bytes decode as an image of `kind` (reads the header only).
pub fn decodes(kind: Kind, bytes: &[u8]) -> bool {
    dimensions(kind, bytes).is_some()
}

pub fn sha256_hex(b: &[u8]) -> String {
    hex::encode(Sha256::digest(b))
}

fn dir_of(data_dir: &Path, sha: &str) -> PathBuf {
    data_dir.join("photos").join(&sha[..2])
}

pub fn path_of(data_dir: &Path, sha: &str, kind: Kind) -> PathBuf {
    dir_of(data_dir, sha).join(format!("{sha}.{}", kind.ext()))
}

pub fn thumb_path(data_dir: &Path, sha: &str) -> PathBuf {
    dir_of(data_dir, sha).join(format!("{sha}.thumb.jpg"))
}

/// Marks a photo no thumbnail could be made of, so that it is not tried again.
fn thumb_failed_path(data_dir: &Path, sha: &str) -> PathBuf {
    dir_of(data_dir, sha).join(format!("{sha}.thumb.failed"))
}

/// Why there is no thumbnail.
#[derive(Debug, thiserror::Error)]
pub enum ThumbError {
    /// The image could not be decoded within the limits (remembered: not tried again).
    #[error("no thumbnail can be made of this image: {0}")]
    Undecodable(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

fn write_durably(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().expect("a photo path has a directory");
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".{}.tmp", uuid::Uuid::new_v4()));
    let mut f = std::fs::File::create(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    std::fs::rename(&tmp, path)?;
    std::fs::File::open(dir)?.sync_all()
}

/// Stores the bytes under their hash (once: the same bytes are not written again).
pub fn store(data_dir: &Path, sha: &str, kind: Kind, bytes: &[u8]) -> std::io::Result<()> {
    let path = path_of(data_dir, sha, kind);
    if path.exists() {
        return Ok(());
    }
    write_durably(&path, bytes)
}

/// The thumbnail (JPEG, longest side 320 px), made on first use, decoding within limits
/// of size and memory. An image that cannot be decoded so is remembered and not tried
/// again.
pub fn thumbnail(data_dir: &Path, sha: &str, kind: Kind) -> Result<PathBuf, ThumbError> {
    let path = thumb_path(data_dir, sha);
    if path.exists() {
        return Ok(path);
    }
    let failed = thumb_failed_path(data_dir, sha);
    if failed.exists() {
        return Err(ThumbError::Undecodable(std::fs::read_to_string(&failed)?));
    }
    match make_thumbnail(data_dir, sha, kind) {
        Ok(out) => {
            write_durably(&path, &out)?;
            Ok(path)
        }
        Err(why) => {
            write_durably(&failed, why.as_bytes())?;
            Err(ThumbError::Undecodable(why))
        }
    }
}

fn make_thumbnail(data_dir: &Path, sha: &str, kind: Kind) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path_of(data_dir, sha, kind)).map_err(|e| e.to_string())?;
    let mut reader =
        image::ImageReader::with_format(std::io::BufReader::new(file), kind.image_format());
    let side = (MAX_PIXELS as f64).sqrt() as u32 * 4;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(side);
    limits.max_image_height = Some(side);
    limits.max_alloc = Some(DECODE_MAX_ALLOC);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| e.to_string())?;
    let thumb = img.thumbnail(THUMB_SIZE, THUMB_SIZE).to_rgb8();
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 75)
        .encode_image(&thumb)
        .map_err(|e| e.to_string())?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_exif_from_jpeg() {
        let mut buf = Vec::new();
        let img = image::RgbImage::from_pixel(4, 4, image::Rgb([200, 10, 10]));
        image::codecs::jpeg::JpegEncoder::new(&mut buf)
            .encode_image(&img)
            .unwrap();
        // Insert an APP1 EXIF segment with a fake GPS tag after SOI.
        let mut with_exif = vec![0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x10];
        with_exif.extend_from_slice(b"Exif\0\0GPSGPSGP");
        with_exif.extend_from_slice(&buf[2..]);
        assert_eq!(sniff(&with_exif), Some(Kind::Jpeg));
        let stripped = strip(Kind::Jpeg, Bytes::from(with_exif)).unwrap();
        assert!(!stripped.windows(4).any(|w| w == b"Exif"));
        assert!(decodes(Kind::Jpeg, &stripped));
    }

    #[test]
    fn sniffs_formats() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Some(Kind::Png));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(Kind::Webp));
        assert_eq!(sniff(b"GIF89a"), None);
    }
}
