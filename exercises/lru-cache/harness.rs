// The exercise's part of the guest glue for lru-cache (`runner = "sequence"`): replays one
// operation sequence on a fresh `LruCache<u32, u32>`; `Op` and `Ret` are in wire.rs.

use super::LruCache;

type Setup = u32;
type Object = LruCache<u32, u32>;

fn create(capacity: Setup) -> Object {
    LruCache::new(capacity as usize)
}

fn apply(cache: &mut Object, op: Op) -> Ret {
    match op {
        Op::Get(key) => {
            let got: ::std::option::Option<u32> = cache.get(&key);
            Ret::Get(got)
        }
        Op::Put(key, value) => {
            let evicted: ::std::option::Option<(u32, u32)> = cache.put(key, value);
            Ret::Put(evicted)
        }
        Op::Len => {
            let len: usize = cache.len();
            Ret::Len(len as u32)
        }
    }
}

// The statement's bounds, checked at compile time: K: Hash + Eq + Clone and V: Clone
// must be enough (no `Copy`, no `Default`, no `Debug`).
#[allow(dead_code)]
fn contract(key: ::std::string::String, value: ::std::vec::Vec<u8>) {
    let mut cache = LruCache::<::std::string::String, ::std::vec::Vec<u8>>::new(1);
    let _: Option<::std::vec::Vec<u8>> = cache.get(&key);
    let _: Option<(::std::string::String, ::std::vec::Vec<u8>)> = cache.put(key, value);
    let _: usize = cache.len();
}
