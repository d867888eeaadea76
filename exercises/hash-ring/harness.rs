// Guest-side glue for hash-ring: runs one scenario script on up to two rings and
// encodes every answer; the judge checks properties of the answers on its side.
// Input: count u32, then per operation a tag, a ring slot (0 or 1) and arguments:
// 0 new(vnodes u32), 1 add_node(name), 2 remove_node(name), 3 node_for(key),
// 4 replicas_for(key, n u32), 5 len(); strings as u32 LE length + UTF-8.
// Output per operation: new -> nothing; add/remove -> 0 | 1; node_for -> 0 | 1 name;
// replicas_for -> count u32 and names; len -> u32.
    use super::HashRing;
    use ::std::vec::Vec;

    struct Input<'a>(&'a [u8]);

    impl<'a> Input<'a> {
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
        fn str(&mut self) -> &'a str {
            let n = self.u32() as usize;
            let (head, tail) = self.0.split_at(n);
            self.0 = tail;
            ::std::str::from_utf8(head).expect("judge input")
        }
    }

    fn put_str(out: &mut Vec<u8>, s: &str) {
        out.extend_from_slice(&(s.len() as u32).to_le_bytes());
        out.extend_from_slice(s.as_bytes());
    }

    pub fn call(input: &[u8]) -> Vec<u8> {
        let mut input = Input(input);
        let count = input.u32();
        let mut rings: [Option<HashRing>; 2] = [None, None];
        let mut out = Vec::new();
        for _ in 0..count {
            let tag = input.u8();
            let slot = (input.u8() & 1) as usize;
            if tag == 0 {
                rings[slot] = Some(HashRing::new(input.u32() as usize));
                continue;
            }
            let ring = rings[slot].as_mut().expect("judge script creates the ring first");
            match tag {
                1 => {
                    let added: bool = ring.add_node(input.str());
                    out.push(added as u8);
                }
                2 => {
                    let removed: bool = ring.remove_node(input.str());
                    out.push(removed as u8);
                }
                3 => {
                    let owner: Option<&str> = ring.node_for(input.str());
                    match owner {
                        None => out.push(0),
                        Some(name) => {
                            out.push(1);
                            put_str(&mut out, name);
                        }
                    }
                }
                4 => {
                    let key = input.str();
                    let n = input.u32() as usize;
                    let replicas: Vec<&str> = ring.replicas_for(key, n);
                    out.extend_from_slice(&(replicas.len() as u32).to_le_bytes());
                    for name in &replicas {
                        put_str(&mut out, name);
                    }
                }
                _ => {
                    let len: usize = ring.len();
                    out.extend_from_slice(&(len as u32).to_le_bytes());
                }
            }
        }
        out
    }
