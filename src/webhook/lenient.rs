//! Lenient readers for values Meta sends in more than one JSON form, and the string-enum macro.
//!
//! Meta writes timestamps as strings in `messages` webhooks and as integers in other fields,
//! template ids as integers, button indexes and file sizes either way. The typed view normalises
//! them; the payload's own serialization keeps the original bytes.

use serde::de::{self, DeserializeSeed, Deserializer, Visitor};
use std::borrow::Cow;
use std::fmt;

/// A non-negative integer given as a JSON number or a decimal string.
#[inline(never)] // one shared copy keeps the hot parsing code small
pub(crate) fn u64_any<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    d.deserialize_any(U64Visitor)
}

/// Like [`u64_any`], for optional fields (absent or `null` give `None`).
#[inline(never)] // one shared copy keeps the hot parsing code small
pub(crate) fn opt_u64_any<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    opt(d, U64Seed)
}

/// An optional value (absent or `null` give `None`), the value itself read by `seed`: the one
/// `Option` visitor behind every `opt_*` reader here.
#[inline]
pub(crate) fn opt<'de, D: Deserializer<'de>, S: DeserializeSeed<'de>>(
    d: D,
    seed: S,
) -> Result<Option<S::Value>, D::Error> {
    d.deserialize_option(OptVisitor(seed))
}

struct OptVisitor<S>(S);

impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for OptVisitor<S> {
    type Value = Option<S::Value>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value or null")
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.0.deserialize(d).map(Some)
    }
}

/// Reads a value with a reader function of this module: the seed [`opt`] takes.
macro_rules! reader_seed {
    ($name:ident, $ty:ty, $f:expr) => {
        struct $name;
        impl<'de> DeserializeSeed<'de> for $name {
            type Value = $ty;
            fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<$ty, D::Error> {
                $f(d)
            }
        }
    };
}

reader_seed!(U64Seed, u64, u64_any);
reader_seed!(StringSeed, String, string_any);

struct U64Visitor;

impl<'de> Visitor<'de> for U64Visitor {
    type Value = u64;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a non-negative integer or a string of decimal digits")
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<u64, E> {
        Ok(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<u64, E> {
        u64::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<u64, E> {
        if v.fract() == 0.0 && v >= 0.0 && v < u64::MAX as f64 {
            Ok(v as u64)
        } else {
            Err(E::invalid_value(de::Unexpected::Float(v), &self))
        }
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<u64, E> {
        v.trim()
            .parse::<u64>()
            .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

/// A decimal number given as a JSON number or a string (prices); absent or `null` give `None`.
pub(crate) fn opt_f64_any<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    opt(d, F64Seed)
}

/// A decimal number given as a JSON number or a string.
pub(crate) fn f64_any<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    d.deserialize_any(F64Visitor)
}

reader_seed!(F64Seed, f64, f64_any);

struct F64Visitor;

impl<'de> Visitor<'de> for F64Visitor {
    type Value = f64;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number or a decimal string")
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        v.trim()
            .parse::<f64>()
            .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

/// A string that Meta sometimes writes as a bare number (ids).
pub(crate) fn string_any<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = String;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string or a number")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_owned())
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
            Ok(v)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
            Ok(v.to_string())
        }
    }
    d.deserialize_any(V)
}

/// Like [`string_any`], for optional fields.
pub(crate) fn opt_string_any<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    opt(d, StringSeed)
}

/// Reads a string, borrowed from the input when it has no escapes; with `numbers`, a bare number
/// is accepted too (as an owned string).
struct CowVisitor {
    numbers: bool,
}

impl<'de> Visitor<'de> for CowVisitor {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.numbers {
            "a string or a number"
        } else {
            "a string"
        })
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.number(v, de::Unexpected::Unsigned(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.number(v, de::Unexpected::Signed(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        self.number(v, de::Unexpected::Float(v))
    }
}

impl CowVisitor {
    fn number<'de, E: de::Error>(
        self,
        v: impl fmt::Display,
        unexpected: de::Unexpected<'_>,
    ) -> Result<Cow<'de, str>, E> {
        if self.numbers {
            Ok(Cow::Owned(v.to_string()))
        } else {
            Err(E::invalid_type(unexpected, &self))
        }
    }
}

/// Reads a string as [`cow_str`] (or [`cow_any`], with `numbers`): the seed [`opt`] takes.
struct CowSeed {
    numbers: bool,
}

impl<'de> DeserializeSeed<'de> for CowSeed {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Cow<'de, str>, D::Error> {
        if self.numbers { cow_any(d) } else { cow_str(d) }
    }
}

/// A string borrowed from the input when it has no escapes, owned otherwise.
#[inline(never)] // one shared copy keeps the hot parsing code small
pub(crate) fn cow_str<'de: 'a, 'a, D: Deserializer<'de>>(d: D) -> Result<Cow<'a, str>, D::Error> {
    d.deserialize_str(CowVisitor { numbers: false })
}

/// Like [`cow_str`], accepting a bare number too (ids Meta sometimes writes as numbers).
#[inline(never)] // one shared copy keeps the hot parsing code small
pub(crate) fn cow_any<'de: 'a, 'a, D: Deserializer<'de>>(d: D) -> Result<Cow<'a, str>, D::Error> {
    d.deserialize_any(CowVisitor { numbers: true })
}

/// An optional [`cow_str`] (absent or `null` give `None`).
#[inline(never)] // one shared copy keeps the hot parsing code small
pub(crate) fn opt_cow_str<'de: 'a, 'a, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Cow<'a, str>>, D::Error> {
    opt(d, CowSeed { numbers: false })
}

/// An optional [`cow_any`].
#[inline(never)] // one shared copy keeps the hot parsing code small
pub(crate) fn opt_cow_any<'de: 'a, 'a, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Cow<'a, str>>, D::Error> {
    opt(d, CowSeed { numbers: true })
}

/// The same string, owned: for [`Payload::into_owned`](super::Payload::into_owned).
pub(crate) fn own(s: Cow<'_, str>) -> Cow<'static, str> {
    Cow::Owned(s.into_owned())
}

/// [`own`] for optional strings.
pub(crate) fn own_opt(s: Option<Cow<'_, str>>) -> Option<Cow<'static, str>> {
    s.map(own)
}

/// A sequence read as `T`s, each turned into a `U` as it is read (no intermediate `Vec`).
#[inline(never)]
pub(crate) fn seq_into<'de, D, T, U>(d: D) -> Result<Vec<U>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::Deserialize<'de>,
    U: From<T>,
{
    struct V<T, U>(std::marker::PhantomData<(T, U)>);
    impl<'de, T: serde::Deserialize<'de>, U: From<T>> Visitor<'de> for V<T, U> {
        type Value = Vec<U>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an array")
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<U>, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(1).clamp(1, 64));
            while let Some(t) = seq.next_element::<T>()? {
                out.push(U::from(t));
            }
            Ok(out)
        }
    }
    d.deserialize_seq(V(std::marker::PhantomData))
}

/// A deserializer that reads a struct only from a JSON object (`deserialize_struct` becomes
/// `deserialize_map`), so the derived visitor's array form is never instantiated: less code on the
/// fast path. Only for derived structs (everything else is forwarded to `deserialize_any`).
pub(crate) struct MapOnly<D>(pub(crate) D);

impl<'de, D: Deserializer<'de>> Deserializer<'de> for MapOnly<D> {
    type Error = D::Error;
    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(v)
    }
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(v)
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

/// Reads a derived struct `T` through [`MapOnly`].
pub(crate) struct MapSeed<T>(pub(crate) std::marker::PhantomData<T>);

impl<'de, T: serde::Deserialize<'de>> DeserializeSeed<'de> for MapSeed<T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        T::deserialize(MapOnly(d))
    }
}

/// Like [`seq_into`], each element a derived struct read through [`MapOnly`].
#[inline(never)]
pub(crate) fn seq_map<'de, D, T, U>(d: D) -> Result<Vec<U>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::Deserialize<'de>,
    U: From<T>,
{
    struct V<T, U>(std::marker::PhantomData<(T, U)>);
    impl<'de, T: serde::Deserialize<'de>, U: From<T>> Visitor<'de> for V<T, U> {
        type Value = Vec<U>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an array")
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<U>, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(1).clamp(1, 64));
            while let Some(t) = seq.next_element_seed(MapSeed::<T>(std::marker::PhantomData))? {
                out.push(U::from(t));
            }
            Ok(out)
        }
    }
    d.deserialize_seq(V(std::marker::PhantomData))
}

/// An optional derived struct read through [`MapOnly`] (absent or `null` give `None`).
#[inline(never)]
pub(crate) fn opt_map<'de, D: Deserializer<'de>, T: serde::Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    opt(d, MapSeed(std::marker::PhantomData))
}

/// Wraps a reader function as a `Deserialize` type: for `MapAccess::next_value`, and for handing
/// one value to serde from the direct reader.
macro_rules! wrap_reader {
    ($vis:vis $name:ident<$l:lifetime>, $ty:ty, $f:expr) => {
        $vis struct $name<$l>(pub(crate) $ty);
        impl<'de: $l, $l> ::serde::Deserialize<'de> for $name<$l> {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $f(d).map($name)
            }
        }
    };
    ($vis:vis $name:ident, $ty:ty, $f:expr) => {
        $vis struct $name(pub(crate) $ty);
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $f(d).map($name)
            }
        }
    };
}

pub(crate) use wrap_reader;

wrap_reader!(pub(crate) CowStr<'a>, Cow<'a, str>, cow_str);
wrap_reader!(pub(crate) U64Any, u64, u64_any);
wrap_reader!(pub(crate) OptU64Any, Option<u64>, opt_u64_any);

/// Serializes a `u64` as a decimal string (Meta's form for `messages` timestamps).
pub(crate) fn u64_as_string<S: serde::Serializer>(v: &u64, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

/// Serializes an optional `u64` as a decimal string.
pub(crate) fn opt_u64_as_string<S: serde::Serializer>(
    v: &Option<u64>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => s.collect_str(v),
        None => s.serialize_none(),
    }
}

/// Defines a string enum Meta can grow: known values, an `Unknown(String)` fallback, `as_str`,
/// `Display`, and serde as the wire string. Extra wire spellings after `|` are accepted on input.
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal $(| $alias:literal)* , )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version does not know, kept as sent.
            Unknown(String),
        }

        impl $name {
            /// The wire string.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )+
                    Self::Unknown(s) => s,
                }
            }

            /// Parses a wire string; unknown values become `Unknown`.
            pub fn parse(s: &str) -> Self {
                match s {
                    $( $wire $(| $alias)* => Self::$variant, )+
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> ::serde::de::Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str("a string")
                    }
                    fn visit_str<E: ::serde::de::Error>(self, v: &str) -> Result<$name, E> {
                        Ok($name::parse(v))
                    }
                }
                d.deserialize_str(V)
            }
        }
    };
}

pub(crate) use string_enum;

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct T {
        #[serde(deserialize_with = "u64_any")]
        n: u64,
        #[serde(default, deserialize_with = "opt_u64_any")]
        o: Option<u64>,
        #[serde(deserialize_with = "string_any")]
        s: String,
    }

    #[test]
    fn numbers_are_accepted_as_strings_and_integers() {
        let a: T =
            serde_json::from_str(r#"{"n":"1697043223","o":12,"s":1689556908129832}"#).unwrap();
        assert_eq!(a.n, 1_697_043_223);
        assert_eq!(a.o, Some(12));
        assert_eq!(a.s, "1689556908129832");
        let b: T = serde_json::from_str(r#"{"n":1697043223,"o":"7","s":"x"}"#).unwrap();
        assert_eq!(b.n, 1_697_043_223);
        assert_eq!(b.o, Some(7));
    }

    #[test]
    fn non_numeric_strings_and_negative_numbers_are_refused() {
        assert!(serde_json::from_str::<T>(r#"{"n":"soon","s":"x"}"#).is_err());
        assert!(serde_json::from_str::<T>(r#"{"n":-5,"s":"x"}"#).is_err());
    }
}
