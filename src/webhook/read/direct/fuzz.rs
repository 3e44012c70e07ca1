//! Structural fuzzing of the direct reader: fixtures re-written with keys swapped, repeated,
//! dropped or added, strings escaped or broken, odd whitespace, junk values, deep nesting and
//! Meta's lenient forms, each body checked against serde's one-pass read (see
//! [`super::tests::agreement`]).

use super::tests::{agreement, fixture_dir};
use proptest::prelude::*;
use serde_json::Value;

/// A small deterministic generator (xorshift), seeded by proptest.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// True with probability `per_mille` / 1000.
    fn chance(&mut self, per_mille: usize) -> bool {
        self.below(1000) < per_mille
    }

    fn pick<'t, T>(&mut self, items: &'t [T]) -> &'t T {
        &items[self.below(items.len())]
    }
}

/// Writes a JSON value back out, disturbing it at `rate` per mille.
struct Writer<'r> {
    rng: &'r mut Rng,
    rate: usize,
    out: String,
}

impl Writer<'_> {
    fn ws(&mut self) {
        if self.rng.chance(self.rate / 2) {
            // JSON whitespace, then what only looks like it (vertical tab, form feed, NBSP, BOM).
            let all = [
                " ", "\n", "\t", "\r", " \n ", "\u{b}", "\u{c}", "\u{a0}", "\u{feff}",
            ];
            let i = if self.rng.chance(900) {
                self.rng.below(5)
            } else {
                self.rng.below(all.len())
            };
            self.out.push_str(all[i]);
        }
    }

    fn string(&mut self, s: &str) {
        self.out.push('"');
        for c in s.chars() {
            if self.rng.chance(self.rate / 3) {
                let piece = match self.rng.below(11) {
                    0 | 1 => format!("\\u{:04x}{}", c as u32 & 0xffff, ""),
                    2 => format!("\\/{c}"),
                    3 => format!("\\ud800{c}"),
                    4 => format!("\u{1}{c}"),
                    5 => format!("\\u0000{c}"),
                    6 => format!("\\ud83d\\ude00{c}"),
                    7 => format!("\\x{c}"),
                    8 => format!("é😀{c}"),
                    9 => "\\n".to_owned(),
                    _ => String::new(),
                };
                self.out.push_str(&piece);
            } else if c == '"' || c == '\\' {
                self.out.push('\\');
                self.out.push(c);
            } else if (c as u32) < 0x20 {
                self.out.push_str(&format!("\\u{:04x}", c as u32));
            } else {
                self.out.push(c);
            }
        }
        self.out.push('"');
    }

    fn junk(&mut self, depth: usize) {
        match self.rng.below(14) {
            0 => self.out.push_str("null"),
            1 => self.out.push_str("true"),
            2 => self.out.push_str("-2.5e3"),
            3 => self.out.push_str("1e400"),
            4 => self.out.push_str("01"),
            5 => self.out.push_str("nul"),
            6 => {
                let n = 28 + self.rng.below(8);
                self.out.push_str(&"[".repeat(n));
                self.out.push_str(&"]".repeat(n));
            }
            7 => {
                let n = 125 + self.rng.below(8);
                self.out.push_str(&"{\"a\":".repeat(n));
                self.out.push('1');
                self.out.push_str(&"}".repeat(n));
            }
            8 => self.out.push_str("[1,]"),
            9 => self.out.push_str("{}"),
            10 => self.string("x"),
            11 if depth < 3 => {
                self.out.push('[');
                self.junk(depth + 1);
                self.out.push(',');
                self.junk(depth + 1);
                self.out.push(']');
            }
            12 => self.out.push_str("18446744073709551616"),
            _ => self.out.push_str("-0"),
        }
    }

    /// Meta's other forms of a value (and some wrong ones), for the keys that have them.
    fn tweak(&mut self, key: &str, v: &Value) -> Value {
        if !self.rng.chance(self.rate) {
            return v.clone();
        }
        match (key, v) {
            ("timestamp" | "time", _) => self
                .rng
                .pick(&[
                    Value::from(17u64),
                    Value::from(" 17 "),
                    Value::from("+17"),
                    Value::from(-1),
                    Value::from(1.5),
                    Value::from(17.0),
                    Value::Null,
                    Value::from("x"),
                    Value::from("\u{a0}17"),
                ])
                .clone(),
            ("type", _) => Value::from(*self.rng.pick(&[
                "text",
                "image",
                "request_welcome",
                "hologram",
                "reaction",
                "unsupported",
                "system",
            ])),
            ("field", _) => {
                Value::from(
                    *self
                        .rng
                        .pick(&["messages", "user_preferences", "x", "messages "]),
                )
            }
            (_, Value::String(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
                s.parse::<u64>().map_or(Value::Null, Value::from)
            }
            (_, Value::Object(_) | Value::Array(_)) if self.rng.chance(300) => Value::Null,
            _ => v.clone(),
        }
    }

    fn object(&mut self, map: &serde_json::Map<String, Value>, depth: usize) {
        let mut pairs: Vec<(String, Value)> =
            map.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        let n = pairs.len();
        if n > 1 && self.rng.chance(self.rate) {
            let (a, b) = (self.rng.below(n), self.rng.below(n));
            pairs.swap(a, b);
        }
        if n > 0 && self.rng.chance(self.rate / 2) {
            let again = pairs[self.rng.below(n)].clone();
            let at = self.rng.below(pairs.len() + 1);
            pairs.insert(at, again);
        }
        if n > 0 && self.rng.chance(self.rate / 2) {
            let at = self.rng.below(pairs.len());
            pairs.remove(at);
        }
        if self.rng.chance(self.rate / 2) {
            let key = *self.rng.pick(&[
                "zz",
                "context",
                "id",
                "type",
                "text",
                "time",
                "field",
                "statuses",
                "body",
                "errors",
                "metadata",
                "messages",
                "from_user_id",
                "from_parent_user_id",
                "recipient_id",
                "recipient_user_id",
                "recipient_parent_user_id",
            ]);
            let at = self.rng.below(pairs.len() + 1);
            pairs.insert(at, (key.to_owned(), Value::from("junk")));
        }
        self.out.push('{');
        for (i, (k, v)) in pairs.iter().enumerate() {
            if i > 0 {
                self.ws();
                self.out.push(',');
            }
            self.ws();
            if self.rng.chance(self.rate / 4) {
                self.string(k);
            } else {
                self.out.push('"');
                self.out.push_str(k);
                self.out.push('"');
            }
            self.ws();
            self.out.push(':');
            let v = self.tweak(k, v);
            self.value(&v, depth + 1);
        }
        if !pairs.is_empty() && self.rng.chance(self.rate / 10) {
            self.out.push(',');
        }
        self.ws();
        self.out.push('}');
    }

    fn array(&mut self, items: &[Value], depth: usize) {
        let mut items = items.to_vec();
        if !items.is_empty() && self.rng.chance(self.rate / 2) {
            let again = items[self.rng.below(items.len())].clone();
            items.push(again);
        }
        if !items.is_empty() && self.rng.chance(self.rate / 3) {
            let at = self.rng.below(items.len());
            items.remove(at);
        }
        self.out.push('[');
        for (i, v) in items.iter().enumerate() {
            if i > 0 {
                self.ws();
                self.out.push(',');
            }
            self.value(v, depth + 1);
        }
        if !items.is_empty() && self.rng.chance(self.rate / 10) {
            self.out.push(',');
        }
        self.ws();
        self.out.push(']');
    }

    fn value(&mut self, v: &Value, depth: usize) {
        self.ws();
        if self.rng.chance(self.rate / 4) {
            self.junk(depth);
        } else {
            match v {
                Value::Object(map) => self.object(map, depth),
                Value::Array(items) => self.array(items, depth),
                Value::String(s) => self.string(s),
                other => self.out.push_str(&other.to_string()),
            }
        }
        self.ws();
    }
}

fn fixtures() -> Vec<Value> {
    let mut all = Vec::new();
    for file in std::fs::read_dir(fixture_dir()).expect("fixtures") {
        let text = std::fs::read_to_string(file.expect("entry").path()).expect("fixture");
        all.push(serde_json::from_str(&text).expect("fixture JSON"));
    }
    all
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn rewritten_fixtures_agree_with_serde(seed in any::<u64>(), pick in any::<prop::sample::Index>()) {
        thread_local! {
            static FIXTURES: Vec<Value> = fixtures();
        }
        let body = FIXTURES.with(|f| f[pick.index(f.len())].clone());
        let mut rng = Rng(seed | 1);
        let rate = *rng.pick(&[5, 20, 60, 150]);
        let mut w = Writer { rng: &mut rng, rate, out: String::new() };
        w.value(&body, 0);
        // `agreement` panics (failing the case) when the readers disagree.
        let _ = agreement("rewritten fixture", &w.out);
    }
}
