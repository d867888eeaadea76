// The judge's wire format, written once: this file is compiled into the judge (as
// `judge_exercises::wire`) and into every submission's build (as `mod __judge_wire`, before
// the exercise's harness), so the bytes a value becomes are written and read by the same code
// on both sides. An exercise's own wire types (`exercises/<id>/wire.rs`: its calls, answers
// and setups) implement `Wire` in terms of these, and are compiled into both sides too.
//
// The encoding: integers little-endian at their width (`usize` as u64); `bool` one byte (0 or
// 1); `String` its UTF-8 length as u32, then the bytes; `Vec<T>` its length as u32, then each
// item; `Option<T>` a byte 0 (None) or 1 then the value; `Result<T, E>` a byte 0 then `T` or
// 1 then `E`; tuples their fields in order. Decoding never panics: bytes that are not a
// value of the type give `None` (the host reads a guest's answer this way: answers are
// untrusted).
//
// Plain Rust on purpose (no inner attributes, no `//!`, std only, every std name spelled in
// full): it is also pasted inside a module of a candidate's crate.

/// A value that crosses between the judge and a guest.
pub trait Wire: Sized {
    /// Appends the value's bytes.
    fn put(&self, out: &mut ::std::vec::Vec<u8>);
    /// Reads one value from the front of `input`, advancing it; `None` if the bytes are not
    /// one.
    fn take(input: &mut &[u8]) -> ::std::option::Option<Self>;
}

/// The bytes of `value`.
pub fn to_bytes<T: Wire>(value: &T) -> ::std::vec::Vec<u8> {
    let mut out = ::std::vec::Vec::new();
    value.put(&mut out);
    out
}

/// The value `bytes` hold, all of them; `None` if they are not exactly one `T`.
pub fn from_bytes<T: Wire>(mut bytes: &[u8]) -> ::std::option::Option<T> {
    let value = T::take(&mut bytes)?;
    if bytes.is_empty() {
        ::std::option::Option::Some(value)
    } else {
        ::std::option::Option::None
    }
}

/// The first `n` bytes of `input`, advancing it.
pub fn take_bytes<'a>(input: &mut &'a [u8], n: usize) -> ::std::option::Option<&'a [u8]> {
    if input.len() < n {
        return ::std::option::Option::None;
    }
    let (head, tail) = input.split_at(n);
    *input = tail;
    ::std::option::Option::Some(head)
}

/// A one-byte tag (the variant of an enum), advancing `input`.
pub fn take_tag(input: &mut &[u8]) -> ::std::option::Option<u8> {
    <u8 as Wire>::take(input)
}

macro_rules! wire_int {
    ($($t:ty),*) => {$(
        impl Wire for $t {
            fn put(&self, out: &mut ::std::vec::Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
            fn take(input: &mut &[u8]) -> ::std::option::Option<Self> {
                let bytes = take_bytes(input, ::std::mem::size_of::<$t>())?;
                let mut array = [0u8; ::std::mem::size_of::<$t>()];
                array.copy_from_slice(bytes);
                ::std::option::Option::Some(<$t>::from_le_bytes(array))
            }
        }
    )*};
}

wire_int!(u8, u16, u32, u64, i8, i16, i32, i64);

impl Wire for usize {
    fn put(&self, out: &mut ::std::vec::Vec<u8>) {
        (*self as u64).put(out);
    }
    fn take(input: &mut &[u8]) -> ::std::option::Option<Self> {
        usize::try_from(u64::take(input)?).ok()
    }
}

impl Wire for bool {
    fn put(&self, out: &mut ::std::vec::Vec<u8>) {
        out.push(u8::from(*self));
    }
    fn take(input: &mut &[u8]) -> ::std::option::Option<Self> {
        match u8::take(input)? {
            0 => ::std::option::Option::Some(false),
            1 => ::std::option::Option::Some(true),
            _ => ::std::option::Option::None,
        }
    }
}

impl Wire for () {
    fn put(&self, _out: &mut ::std::vec::Vec<u8>) {}
    fn take(_input: &mut &[u8]) -> ::std::option::Option<Self> {
        ::std::option::Option::Some(())
    }
}

impl Wire for ::std::string::String {
    fn put(&self, out: &mut ::std::vec::Vec<u8>) {
        (self.len() as u32).put(out);
        out.extend_from_slice(self.as_bytes());
    }
    fn take(input: &mut &[u8]) -> ::std::option::Option<Self> {
        let n = u32::take(input)? as usize;
        let bytes = take_bytes(input, n)?;
        ::std::string::String::from_utf8(bytes.to_vec()).ok()
    }
}

impl<T: Wire> Wire for ::std::vec::Vec<T> {
    fn put(&self, out: &mut ::std::vec::Vec<u8>) {
        (self.len() as u32).put(out);
        for item in self {
            item.put(out);
        }
    }
    fn take(input: &mut &[u8]) -> ::std::option::Option<Self> {
        let n = u32::take(input)? as usize;
        // Not `with_capacity(n)`: `n` is untrusted; a short input ends the loop instead.
        let mut items = ::std::vec::Vec::new();
        for _ in 0..n {
            items.push(T::take(input)?);
        }
        ::std::option::Option::Some(items)
    }
}

impl<T: Wire> Wire for ::std::option::Option<T> {
    fn put(&self, out: &mut ::std::vec::Vec<u8>) {
        match self {
            ::std::option::Option::None => out.push(0),
            ::std::option::Option::Some(value) => {
                out.push(1);
                value.put(out);
            }
        }
    }
    fn take(input: &mut &[u8]) -> ::std::option::Option<Self> {
        match u8::take(input)? {
            0 => ::std::option::Option::Some(::std::option::Option::None),
            1 => ::std::option::Option::Some(::std::option::Option::Some(T::take(input)?)),
            _ => ::std::option::Option::None,
        }
    }
}

impl<T: Wire, E: Wire> Wire for ::std::result::Result<T, E> {
    fn put(&self, out: &mut ::std::vec::Vec<u8>) {
        match self {
            ::std::result::Result::Ok(value) => {
                out.push(0);
                value.put(out);
            }
            ::std::result::Result::Err(error) => {
                out.push(1);
                error.put(out);
            }
        }
    }
    fn take(input: &mut &[u8]) -> ::std::option::Option<Self> {
        match u8::take(input)? {
            0 => ::std::option::Option::Some(::std::result::Result::Ok(T::take(input)?)),
            1 => ::std::option::Option::Some(::std::result::Result::Err(E::take(input)?)),
            _ => ::std::option::Option::None,
        }
    }
}

macro_rules! wire_tuple {
    ($($name:ident),+) => {
        impl<$($name: Wire),+> Wire for ($($name,)+) {
            #[allow(non_snake_case)]
            fn put(&self, out: &mut ::std::vec::Vec<u8>) {
                let ($($name,)+) = self;
                $($name.put(out);)+
            }
            fn take(input: &mut &[u8]) -> ::std::option::Option<Self> {
                ::std::option::Option::Some(($($name::take(input)?,)+))
            }
        }
    };
}

wire_tuple!(A);
wire_tuple!(A, B);
wire_tuple!(A, B, C);
wire_tuple!(A, B, C, D);
