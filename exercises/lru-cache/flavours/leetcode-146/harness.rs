// LeetCode 146's API (`runner = "sequence"`): replays one operation sequence on a fresh
// `LRUCache`. Calls go through `&mut`, which works whether the methods take `&self` or
// `&mut self`.

type Setup = i32;
type Object = super::LRUCache;

fn create(capacity: Setup) -> Object {
    super::LRUCache::new(capacity)
}

fn apply(cache: &mut Object, op: Op) -> Ret {
    match op {
        Op::Get(key) => {
            let got: i32 = cache.get(key);
            Ret::Get(got)
        }
        Op::Put(key, value) => {
            let () = cache.put(key, value);
            Ret::Put
        }
    }
}
