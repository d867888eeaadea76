// Guest-side glue for lru-cache: replays one operation sequence on a fresh
// `LruCache<u32, u32>` and encodes every result.
// Input: capacity u32, count u32, then per operation a tag (0 get k, 1 put k v, 2 len)
// and its u32 LE arguments. Output per operation: get -> 0 | 1 v; put -> 0 | 1 k v;
// len -> u32.
mod __judge_harness {
    use super::LruCache;

    struct Input<'a>(&'a [u8]);

    impl Input<'_> {
        fn u8(&mut self) -> u8 {
            let (head, tail) = self.0.split_first().expect("judge input");
            self.0 = tail;
            *head
        }
        fn u32(&mut self) -> u32 {
            let (head, tail) = self.0.split_at(4);
            self.0 = tail;
            u32::from_le_bytes([head[0], head[1], head[2], head[3]])
        }
    }

    pub fn call(input: &[u8]) -> ::std::vec::Vec<u8> {
        let mut input = Input(input);
        let capacity = input.u32() as usize;
        let count = input.u32();
        let mut cache: LruCache<u32, u32> = LruCache::new(capacity);
        let mut out = ::std::vec::Vec::new();
        for _ in 0..count {
            match input.u8() {
                0 => {
                    let key = input.u32();
                    let got: Option<u32> = cache.get(&key);
                    match got {
                        None => out.push(0),
                        Some(v) => {
                            out.push(1);
                            out.extend_from_slice(&v.to_le_bytes());
                        }
                    }
                }
                1 => {
                    let key = input.u32();
                    let value = input.u32();
                    let evicted: Option<(u32, u32)> = cache.put(key, value);
                    match evicted {
                        None => out.push(0),
                        Some((k, v)) => {
                            out.push(1);
                            out.extend_from_slice(&k.to_le_bytes());
                            out.extend_from_slice(&v.to_le_bytes());
                        }
                    }
                }
                _ => {
                    let len: usize = cache.len();
                    out.extend_from_slice(&(len as u32).to_le_bytes());
                }
            }
        }
        out
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
}
