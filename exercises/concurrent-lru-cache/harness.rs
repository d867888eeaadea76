// The exercise's part of the guest glue for concurrent-lru-cache; the judge's runner for
// concurrent exercises (exercises/src/concurrent_runner.rs) comes before it in
// `mod __judge_harness`.
// Setup: capacity u32. Calls: 0 get(key u32), 1 put(key u32, value u32), 2 len.
// Results: get -> 0 | 1 value u32; put -> 0 | 1 key u32 value u32; len -> u32.

use super::ConcurrentLruCache;

type Shared = ConcurrentLruCache<u32, u32>;

fn setup(input: &mut Input<'_>) -> Shared {
    ConcurrentLruCache::new(input.u32() as usize)
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

enum Call {
    Get(u32),
    Put(u32, u32),
    Len,
}

fn read_call(input: &mut Input<'_>) -> Call {
    match input.u8() {
        0 => Call::Get(input.u32()),
        1 => {
            let key = input.u32();
            Call::Put(key, input.u32())
        }
        _ => Call::Len,
    }
}

fn apply(shared: &Shared, call: &Call, out: &mut ::std::vec::Vec<u8>) {
    match call {
        Call::Get(key) => match shared.get(key) {
            None => out.push(0),
            Some(v) => {
                out.push(1);
                out.extend_from_slice(&v.to_le_bytes());
            }
        },
        Call::Put(key, value) => match shared.put(*key, *value) {
            None => out.push(0),
            Some((k, v)) => {
                out.push(1);
                out.extend_from_slice(&k.to_le_bytes());
                out.extend_from_slice(&v.to_le_bytes());
            }
        },
        Call::Len => {
            let len: usize = shared.len();
            out.extend_from_slice(&(len as u32).to_le_bytes());
        }
    }
}
