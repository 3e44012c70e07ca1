//! Marketing opt-outs (STOP / UNSUBSCRIBE) and resumes.
//!
//! Three signals say a user no longer wants marketing messages, or wants them again:
//!
//! - a **keyword** typed as the whole message: `STOP`, `Unsubscribe`, `¡Baja!`, `Désabonner`… (see
//!   [`Keywords`]);
//! - a **`user_preferences` webhook** (`category: marketing_messages`, `value: stop | resume |
//!   signup`), sent when the user taps WhatsApp's own "stop" control;
//! - a **failed status with error 131050** ("User has stopped receipt of marketing messages").
//!
//! An [`OptOutStore`](super::OptOutStore) keeps the latest signal per user. Changes carry the time
//! they happened (unix seconds, `u64`) and the latest one wins ([`OptOutRecord::later`]), so an old
//! STOP redelivered after a newer START does not opt the user out again.
//!
//! ```
//! use whatsapp_cloud::policy::{
//!     InMemoryOptOutStore, Keywords, OptOutStore, Source, UserKey, block_on,
//! };
//! let keywords = Keywords::default();
//! let store = InMemoryOptOutStore::new();
//! let user = UserKey::phone("16505551234");
//! if let Some(intent) = keywords.classify("  STOP!! 🛑 ") {
//!     block_on(store.record(&user, intent, Source::Keyword, 1_700_000_000))?;
//! }
//! assert!(block_on(store.is_opted_out(&user))?);
//! assert_eq!(keywords.classify("please stop sending me offers"), None);
//! # Ok::<(), whatsapp_cloud::policy::StoreError>(())
//! ```

use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// What a user asked for (serialized `opt_out` / `resume`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Intent {
    /// Stop marketing messages.
    OptOut,
    /// Resume marketing messages (also a sign-up through a marketing sign-up link).
    Resume,
}

/// Where an opt-out or resume came from (serialized in snake case, `{"other": "…"}` for
/// [`Source::Other`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Source {
    /// A keyword typed by the user.
    Keyword,
    /// A `user_preferences` webhook.
    UserPreferences,
    /// A failed status with error 131050.
    FailedStatus,
    /// Set by the application (a form, a support agent, an import).
    Manual,
    /// Anything else, named by the application.
    Other(String),
}

/// The error code of a send refused because the user stopped marketing messages.
pub const MARKETING_OPT_OUT_ERROR: i64 = 131_050;

/// The latest opt-out or resume of a user; serializes (serde) for stores that persist it.
///
/// ```
/// use whatsapp_cloud::policy::{Intent, OptOutRecord, Source};
/// let r = OptOutRecord::new(Intent::OptOut, Source::UserPreferences, 1_731_705_721);
/// let json = serde_json::to_string(&r)?;
/// assert_eq!(json, r#"{"intent":"opt_out","source":"user_preferences","at":1731705721}"#);
/// assert_eq!(serde_json::from_str::<OptOutRecord>(&json)?, r);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OptOutRecord {
    /// What the user asked for last.
    pub intent: Intent,
    /// Where it came from.
    pub source: Source,
    /// When it happened (unix seconds).
    pub at: u64,
}

impl OptOutRecord {
    /// A record of `intent` from `source` at `at` (unix seconds).
    pub fn new(intent: Intent, source: Source, at: u64) -> Self {
        Self { intent, source, at }
    }

    /// True when the user is opted out of marketing messages.
    pub fn is_opted_out(&self) -> bool {
        self.intent == Intent::OptOut
    }

    /// The later of two records; at equal times an opt-out wins (the safe side). Stores keep the
    /// later of what they hold and what they are told.
    pub fn later(self, other: Self) -> Self {
        let other_wins = other.at > self.at
            || (other.at == self.at
                && other.intent == Intent::OptOut
                && self.intent != Intent::OptOut);
        if other_wins { other } else { self }
    }
}

/// Opt-out and resume keywords, matched against a **whole** inbound text after normalisation.
///
/// Normalisation ([`normalize`]): lower-case (Unicode), accents folded (see below), and the text cut
/// into words of letters and digits joined by one space, so surrounding and inner punctuation, emoji
/// and extra whitespace do not matter: `"  ¡BAJA! 🙏"` reads `baja`, `"opt-out."` reads `opt out`.
/// The whole normalised message must equal a keyword: `"stop"` is an opt-out, `"don't stop"` and
/// `"please stop sending offers"` are not. An inbound text that matches both lists counts as an
/// opt-out.
///
/// Accent folding covers the Latin letters with diacritics of Latin-1 Supplement and Latin
/// Extended-A (U+00C0–U+017F: `àáâãäåāăą` → `a`, `ç` → `c`, `ñ` → `n`, `ß` → `ss`, `æ` → `ae`,
/// `œ` → `oe`, `ø` → `o`, `ł` → `l`, …) and drops combining diacritical marks (U+0300–U+036F), so
/// decomposed text folds too. Other scripts are kept as they are.
///
/// The defaults ([`Keywords::default`]) cover English, Spanish, Portuguese, French, German, Italian,
/// Dutch and Indonesian ([`Keywords::LANGUAGES`]). Ambiguous words used in commerce chats
/// (`cancel`, `end`, `quit`, `no`) are left out of the opt-outs, and words that bot menus use for
/// navigation (`voltar`, `iniciar`, `lanjut`, `avvia`…) are left out of the resumes, since a false
/// resume would send marketing to someone who refused it; add words with [`Keywords::stop`] and
/// [`Keywords::resume`].
///
/// ```
/// use whatsapp_cloud::policy::{Intent, Keywords};
/// let keywords = Keywords::default();
/// assert_eq!(keywords.classify("Désabonner"), Some(Intent::OptOut));
/// assert_eq!(keywords.classify("ABMELDEN!"), Some(Intent::OptOut));
/// assert_eq!(keywords.classify("Start"), Some(Intent::Resume));
/// assert_eq!(keywords.classify("Stop by the shop tomorrow"), None);
/// let custom = Keywords::empty().stop("cancel").resume("yes please");
/// assert_eq!(custom.classify("CANCEL."), Some(Intent::OptOut));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct Keywords {
    stop: HashSet<String>,
    resume: HashSet<String>,
}

/// (language, opt-out keywords, resume keywords), written already normalised.
const DEFAULTS: &[(&str, &[&str], &[&str])] = &[
    (
        "en",
        &[
            "stop",
            "stop all",
            "stopall",
            "unsubscribe",
            "unsub",
            "opt out",
            "optout",
            "stop promotions",
            "stop marketing",
        ],
        &["start", "unstop", "resume", "subscribe", "opt in", "optin"],
    ),
    (
        "es",
        &[
            "baja",
            "dar de baja",
            "darme de baja",
            "darse de baja",
            "cancelar suscripcion",
            "desuscribir",
            "desuscribirme",
            "parar",
            "detener",
            "no mas",
            "no mas mensajes",
        ],
        &[
            "alta",
            "dar de alta",
            "darme de alta",
            "reanudar",
            "suscribir",
            "suscribirme",
        ],
    ),
    (
        "pt",
        &[
            "parar",
            "pare",
            "sair",
            "descadastrar",
            "descadastre",
            "cancelar inscricao",
            "cancelar assinatura",
            "nao quero mais",
        ],
        &["retomar", "inscrever", "inscrever me", "assinar"],
    ),
    (
        "fr",
        &[
            "arret",
            "arreter",
            "desabonner",
            "se desabonner",
            "me desabonner",
            "desinscrire",
            "me desinscrire",
            "desinscription",
            "desabonnement",
        ],
        &[
            "reprendre",
            "abonner",
            "m abonner",
            "s abonner",
            "reabonner",
        ],
    ),
    (
        "de",
        &["stopp", "abmelden", "abbestellen", "austragen", "abmeldung"],
        &["anmelden", "fortsetzen", "wieder anmelden"],
    ),
    (
        "it",
        &[
            "basta",
            "disiscrivimi",
            "disiscrivi",
            "annulla iscrizione",
            "cancellami",
            "fermati",
        ],
        &["riprendi", "iscrivimi"],
    ),
    (
        "nl",
        &["afmelden", "uitschrijven", "stoppen", "afmelding"],
        &["aanmelden", "hervatten", "inschrijven"],
    ),
    (
        "id",
        &[
            "berhenti",
            "berhenti langganan",
            "stop langganan",
            "batal langganan",
            "henti",
        ],
        &["berlangganan", "langganan lagi"],
    ),
];

impl Keywords {
    /// The languages of the defaults, as ISO 639-1 codes.
    pub const LANGUAGES: &'static [&'static str] =
        &["en", "es", "pt", "fr", "de", "it", "nl", "id"];

    /// No keywords at all.
    pub fn empty() -> Self {
        Self {
            stop: HashSet::new(),
            resume: HashSet::new(),
        }
    }

    /// The default keywords of the given languages (ISO 639-1 codes such as `"en"`, `"pt"`);
    /// `None` when one of them has no defaults.
    ///
    /// ```
    /// use whatsapp_cloud::policy::{Intent, Keywords};
    /// let k = Keywords::for_languages(&["de", "nl"]).unwrap();
    /// assert_eq!(k.classify("Uitschrijven"), Some(Intent::OptOut));
    /// assert_eq!(k.classify("unsubscribe"), None);
    /// assert!(Keywords::for_languages(&["xx"]).is_none());
    /// ```
    pub fn for_languages(languages: &[&str]) -> Option<Self> {
        let mut out = Self::empty();
        for lang in languages {
            let (_, stop, resume) = DEFAULTS
                .iter()
                .find(|(code, _, _)| code.eq_ignore_ascii_case(lang))?;
            out.stop.extend(stop.iter().map(|s| (*s).to_owned()));
            out.resume.extend(resume.iter().map(|s| (*s).to_owned()));
        }
        Some(out)
    }

    /// Adds an opt-out keyword or phrase (normalised like inbound text).
    pub fn stop(mut self, keyword: impl AsRef<str>) -> Self {
        let k = normalize(keyword.as_ref());
        if !k.is_empty() {
            self.stop.insert(k);
        }
        self
    }

    /// Adds a resume keyword or phrase (normalised like inbound text).
    pub fn resume(mut self, keyword: impl AsRef<str>) -> Self {
        let k = normalize(keyword.as_ref());
        if !k.is_empty() {
            self.resume.insert(k);
        }
        self
    }

    /// Removes a keyword or phrase from both lists.
    pub fn without(mut self, keyword: impl AsRef<str>) -> Self {
        let k = normalize(keyword.as_ref());
        self.stop.remove(&k);
        self.resume.remove(&k);
        self
    }

    /// What an inbound text asks for, when the whole (normalised) text is a keyword. Texts longer
    /// than 256 bytes are never keywords (and are not normalised, so a 4096-character message costs
    /// nothing).
    pub fn classify(&self, text: &str) -> Option<Intent> {
        // No keyword is this long: skip normalising long messages.
        if text.len() > 256 {
            return None;
        }
        let normalized = normalize(text);
        if self.stop.contains(&normalized) {
            Some(Intent::OptOut)
        } else if self.resume.contains(&normalized) {
            Some(Intent::Resume)
        } else {
            None
        }
    }

    /// The opt-out keywords, normalised, in no particular order.
    pub fn stop_keywords(&self) -> impl Iterator<Item = &str> + '_ {
        self.stop.iter().map(String::as_str)
    }

    /// The resume keywords, normalised, in no particular order.
    pub fn resume_keywords(&self) -> impl Iterator<Item = &str> + '_ {
        self.resume.iter().map(String::as_str)
    }

    /// True when the whole text is an opt-out keyword.
    pub fn is_opt_out(&self, text: &str) -> bool {
        self.classify(text) == Some(Intent::OptOut)
    }
}

impl Default for Keywords {
    /// The keywords of every language in [`Keywords::LANGUAGES`].
    fn default() -> Self {
        Self::for_languages(Self::LANGUAGES).unwrap_or_else(Self::empty)
    }
}

/// Normalises a text for keyword matching: lower-case, accents folded, words of letters and digits
/// joined by single spaces.
///
/// ```
/// use whatsapp_cloud::policy::normalize;
/// assert_eq!(normalize("  ¡Cancelar SUSCRIPCIÓN! 🙅 "), "cancelar suscripcion");
/// assert_eq!(normalize("Opt-Out..."), "opt out");
/// assert_eq!(normalize("Stra\u{df}e"), "strasse");
/// ```
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if is_combining_mark(c) {
            continue;
        }
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            match fold(c) {
                Folded::One(f) => out.push(f),
                Folded::Two(a, b) => {
                    out.push(a);
                    out.push(b);
                }
            }
        } else {
            pending_space = true;
        }
    }
    out
}

fn is_combining_mark(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

enum Folded {
    One(char),
    Two(char, char),
}

/// Folds a lower-case Latin letter with a diacritic to its base letter(s).
fn fold(c: char) -> Folded {
    use Folded::{One, Two};
    if c.is_ascii() {
        return One(c);
    }
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'ª' => One('a'),
        'æ' => Two('a', 'e'),
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => One('c'),
        'ď' | 'đ' | 'ð' => One('d'),
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => One('e'),
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => One('g'),
        'ĥ' | 'ħ' => One('h'),
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => One('i'),
        'ĳ' => Two('i', 'j'),
        'ĵ' => One('j'),
        'ķ' | 'ĸ' => One('k'),
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => One('l'),
        'ñ' | 'ń' | 'ņ' | 'ň' | 'ŉ' | 'ŋ' => One('n'),
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' | 'º' => One('o'),
        'œ' => Two('o', 'e'),
        'ŕ' | 'ŗ' | 'ř' => One('r'),
        'ś' | 'ŝ' | 'ş' | 'š' | 'ſ' => One('s'),
        'ß' => Two('s', 's'),
        'ţ' | 'ť' | 'ŧ' => One('t'),
        'þ' => Two('t', 'h'),
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => One('u'),
        'ŵ' => One('w'),
        'ý' | 'ÿ' | 'ŷ' => One('y'),
        'ź' | 'ż' | 'ž' => One('z'),
        other => One(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_latin_1_and_extended_a_letter_folds_to_ascii() {
        for c in ('\u{c0}'..='\u{17f}').filter(|c| c.is_alphabetic()) {
            let n = normalize(&c.to_string());
            assert!(n.is_ascii(), "{c} (U+{:04X}) folded to {n:?}", c as u32);
        }
    }

    #[test]
    fn decomposed_accents_fold_like_precomposed_ones() {
        assert_eq!(normalize("de\u{301}sabonner"), normalize("désabonner"));
        assert_eq!(normalize("désabonner"), "desabonner");
    }

    #[test]
    fn default_keywords_are_already_normalised() {
        for (lang, stop, resume) in DEFAULTS {
            for k in stop.iter().chain(resume.iter()) {
                assert_eq!(&normalize(k), k, "{lang}");
            }
        }
    }

    #[test]
    fn languages_list_matches_the_defaults() {
        let codes: Vec<&str> = DEFAULTS.iter().map(|(code, _, _)| *code).collect();
        assert_eq!(codes, Keywords::LANGUAGES);
    }

    #[test]
    fn no_default_word_is_both_stop_and_resume() {
        let k = Keywords::default();
        assert!(k.stop.is_disjoint(&k.resume));
    }

    #[test]
    fn a_text_in_both_lists_is_an_opt_out() {
        let k = Keywords::empty().resume("halt").stop("halt");
        assert_eq!(k.classify("HALT"), Some(Intent::OptOut));
    }

    #[test]
    fn later_change_wins_and_ties_favour_opt_out() {
        let stop = OptOutRecord::new(Intent::OptOut, Source::Keyword, 10);
        let resume = OptOutRecord::new(Intent::Resume, Source::Keyword, 10);
        assert!(resume.clone().later(stop.clone()).is_opted_out());
        assert!(stop.clone().later(resume.clone()).is_opted_out());
        let late_resume = OptOutRecord::new(Intent::Resume, Source::Keyword, 11);
        assert!(!stop.later(late_resume).is_opted_out());
    }
}
