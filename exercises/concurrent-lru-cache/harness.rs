// Guest-side glue for concurrent-lru-cache: runs one scenario on one shared `ConcurrentLruCache`: each list of
// calls on its own thread (std::thread::scope), then the calls after joining on this one.
// Every call is stamped with the judge's logical clock as it starts and as it returns.
// Input: stamped u8, capacity u32, thread count u32, then per thread (and once more for the
// calls after joining) a call count u32 and the calls: 0 get(key u32), 1 put(key u32, value u32), 2 len.
// Output per call, threads in order, then the calls after joining: invoke u64, response
// u64 (only when stamped), then get -> 0 | 1 value u32; put -> 0 | 1 key u32 value u32; len -> u32.
mod __judge_harness {
    use super::ConcurrentLruCache;

    #[link(wasm_import_module = "judge")]
    extern "C" {
        fn clock() -> u64;
    }

    fn stamp(stamped: bool) -> u64 {
        if stamped {
            // SAFETY: a host function without arguments or memory access.
            unsafe { clock() }
        } else {
            0
        }
    }

    struct Input<'a>(&'a [u8]);

    impl Input<'_> {
        fn take(&mut self, n: usize) -> &[u8] {
            let (head, tail) = self.0.split_at(n);
            self.0 = tail;
            head
        }
        fn u8(&mut self) -> u8 {
            self.take(1)[0]
        }
        fn u32(&mut self) -> u32 {
            let b = self.take(4);
            u32::from_le_bytes([b[0], b[1], b[2], b[3]])
        }
        #[allow(dead_code)]
        fn u64(&mut self) -> u64 {
            let b = self.take(8);
            u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
        }
    }

    fn read_calls(input: &mut Input<'_>) -> ::std::vec::Vec<Call> {
        let count = input.u32();
        (0..count).map(|_| read_call(input)).collect()
    }

    fn run(shared: &ConcurrentLruCache<u32, u32>, calls: &[Call], stamped: bool) -> ::std::vec::Vec<u8> {
        let mut out = ::std::vec::Vec::with_capacity(calls.len() * 32);
        // Allocated before any call starts, so the guest's allocator (one lock for all
        // threads) never runs inside a call or between calls of the throughput workload.
        let mut result = ::std::vec::Vec::with_capacity(16);
        for call in calls {
            result.clear();
            let invoke = stamp(stamped);
            apply(shared, call, &mut result);
            let response = stamp(stamped);
            if stamped {
                out.extend_from_slice(&invoke.to_le_bytes());
                out.extend_from_slice(&response.to_le_bytes());
            }
            out.extend_from_slice(&result);
        }
        out
    }

    pub fn call(input: &[u8]) -> ::std::vec::Vec<u8> {
        let mut input = Input(input);
        let stamped = input.u8() == 1;
        let shared = ConcurrentLruCache::<u32, u32>::new(input.u32() as usize);
        let threads = input.u32();
        let lists: ::std::vec::Vec<::std::vec::Vec<Call>> =
            (0..threads).map(|_| read_calls(&mut input)).collect();
        let after = read_calls(&mut input);
        let shared_ref = &shared;
        // Every thread starts its calls together: their first calls overlap instead of
        // being staggered by thread start-up.
        let start = ::std::sync::Barrier::new(lists.len());
        let start = &start;
        let outputs: ::std::vec::Vec<::std::vec::Vec<u8>> = ::std::thread::scope(|scope| {
            let handles: ::std::vec::Vec<_> = lists
                .iter()
                .map(|calls| {
                    scope.spawn(move || {
                        start.wait();
                        run(shared_ref, calls, stamped)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_default())
                .collect()
        });
        let mut out = outputs.concat();
        out.extend_from_slice(&run(&shared, &after, stamped));
        out
    }

    // The statement's contract, checked at compile time: the type is shared between threads.
    #[allow(dead_code)]
    fn contract() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<ConcurrentLruCache<u32, u32>>();
        // The bounds are exactly the statement's: String keys and Vec<u8> values work.
        fn bounds(key: ::std::string::String, value: ::std::vec::Vec<u8>) {
            let cache = ConcurrentLruCache::<::std::string::String, ::std::vec::Vec<u8>>::new(1);
            let _: Option<::std::vec::Vec<u8>> = cache.get(&key);
            let _: Option<(::std::string::String, ::std::vec::Vec<u8>)> = cache.put(key, value);
            let _: usize = cache.len();
        }
        let _ = bounds;
        send_sync::<ConcurrentLruCache<::std::string::String, ::std::vec::Vec<u8>>>();
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

    fn apply(shared: &ConcurrentLruCache<u32, u32>, call: &Call, out: &mut ::std::vec::Vec<u8>) {
        match call {
            Call::Get(key) => {
                let got: Option<u32> = shared.get(key);
                match got {
                    None => out.push(0),
                    Some(v) => {
                        out.push(1);
                        out.extend_from_slice(&v.to_le_bytes());
                    }
                }
            }
            Call::Put(key, value) => {
                let evicted: Option<(u32, u32)> = shared.put(*key, *value);
                match evicted {
                    None => out.push(0),
                    Some((k, v)) => {
                        out.push(1);
                        out.extend_from_slice(&k.to_le_bytes());
                        out.extend_from_slice(&v.to_le_bytes());
                    }
                }
            }
            Call::Len => {
                let len: usize = shared.len();
                out.extend_from_slice(&(len as u32).to_le_bytes());
            }
        }
    }
}
