//! The fonts a document is typeset with. DejaVu Sans is embedded, so Kazakh, Russian and Latin
//! text always renders, on any machine. A foreign applicant's name may be in any script
//! (Chinese, Arabic, Devanagari, Georgian, Armenian…), and no single font covers them all:
//! the machine's own fonts are added behind DejaVu, and typst falls back to them glyph by
//! glyph. On Debian those are `fonts-noto-core` and `fonts-noto-cjk` (the README and `.ci/run`
//! install them); `QUALCERT_FONT_DIR` adds a folder of one's own.
//!
//! Only upright regular and bold faces are indexed: the templates use nothing else, and
//! indexing every weight of every system font would cost start-up time for no glyph.
//! A font file is read once, on the first glyph that needs it.

use std::path::PathBuf;
use std::sync::{LazyLock, OnceLock};

use typst::foundations::Bytes;
use typst::text::{Font, FontBook, FontInfo};
use typst::utils::LazyHash;

const EMBEDDED: [&[u8]; 2] =
    [include_bytes!("../fonts/DejaVuSans.ttf"), include_bytes!("../fonts/DejaVuSans-Bold.ttf")];

/// Where one face's bytes come from.
enum Origin {
    Embedded(Font),
    File { path: PathBuf, index: u32, font: OnceLock<Option<Font>> },
}

/// Every face typst may choose from, in the order of the book's indices.
pub(crate) struct Fonts {
    pub(crate) book: LazyHash<FontBook>,
    faces: Vec<Origin>,
}

impl Fonts {
    /// The face at a book index, read from disk the first time it is needed. A file that
    /// vanished or is unreadable gives `None`, and typst treats the glyph as uncovered.
    pub(crate) fn get(&self, index: usize) -> Option<Font> {
        match self.faces.get(index)? {
            Origin::Embedded(font) => Some(font.clone()),
            Origin::File { path, index, font } => font
                .get_or_init(|| std::fs::read(path).ok().and_then(|data| Font::new(Bytes::new(data), *index)))
                .clone(),
        }
    }

    /// Whether some face has a glyph for `c`. Spaces and controls count as covered: they are
    /// laid out, not drawn.
    pub(crate) fn covers(&self, c: char) -> bool {
        c.is_whitespace()
            || c.is_control()
            || (0..self.faces.len()).any(|i| self.book.info(i).is_some_and(|f| f.coverage.contains(c as u32)))
    }
}

pub(crate) static FONTS: LazyLock<Fonts> = LazyLock::new(load);

fn load() -> Fonts {
    let mut book = FontBook::new();
    let mut faces = Vec::new();
    for data in EMBEDDED {
        for font in Font::iter(Bytes::new(data)) {
            book.push(font.info().clone());
            faces.push(Origin::Embedded(font));
        }
    }
    let mut db = fontdb::Database::new();
    db.load_system_fonts();
    if let Some(dir) = std::env::var_os("QUALCERT_FONT_DIR") {
        db.load_fonts_dir(dir);
    }
    let mut seen = std::collections::HashSet::new();
    for face in db.faces() {
        let path = match &face.source {
            fontdb::Source::File(path) | fontdb::Source::SharedFile(path, _) => path.clone(),
            fontdb::Source::Binary(_) => continue,
        };
        let upright = face.style == fontdb::Style::Normal && face.stretch == fontdb::Stretch::Normal;
        let weight = face.weight == fontdb::Weight::NORMAL || face.weight == fontdb::Weight::BOLD;
        let dejavu = face.families.iter().any(|(name, _)| name.starts_with("DejaVu"));
        if !upright || !weight || dejavu || !seen.insert((path.clone(), face.index)) {
            continue;
        }
        let Some(Some(info)) = db.with_face_data(face.id, FontInfo::new) else { continue };
        book.push(info);
        faces.push(Origin::File { path, index: face.index, font: OnceLock::new() });
    }
    Fonts { book: LazyHash::new(book), faces }
}
