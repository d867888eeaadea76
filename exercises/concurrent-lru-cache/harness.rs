// The exercise's part of the guest glue for concurrent-lru-cache; the judge's runner for
// concurrent exercises (exercises/src/concurrent_runner.rs) and lru-cache's `Op`/`Ret`
// (`wire = "../lru-cache/wire.rs"`) come before it in `mod __judge_harness`.

use super::ConcurrentLruCache;

type Setup = u32;
type Shared = ConcurrentLruCache<u32, u32>;

fn create(capacity: Setup) -> Shared {
    ConcurrentLruCache::new(capacity as usize)
}

fn apply(shared: &Shared, op: &Op) -> Ret {
    match op {
        Op::Get(key) => {
            let got: ::std::option::Option<u32> = shared.get(key);
            Ret::Get(got)
        }
        Op::Put(key, value) => {
            let evicted: ::std::option::Option<(u32, u32)> = shared.put(*key, *value);
            Ret::Put(evicted)
        }
        Op::Len => {
            let len: usize = shared.len();
            Ret::Len(len as u32)
        }
    }
}

// The bounds are exactly the statement's, checked at compile time: String keys and Vec<u8>
// values work, and that cache is shared between threads too.
#[allow(dead_code)]
fn contract(key: ::std::string::String, value: ::std::vec::Vec<u8>) {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<ConcurrentLruCache<::std::string::String, ::std::vec::Vec<u8>>>();
    let cache = ConcurrentLruCache::<::std::string::String, ::std::vec::Vec<u8>>::new(1);
    let _: Option<::std::vec::Vec<u8>> = cache.get(&key);
    let _: Option<(::std::string::String, ::std::vec::Vec<u8>)> = cache.put(key, value);
    let _: usize = cache.len();
}
