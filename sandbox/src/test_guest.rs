//! Guests assembled by hand for the sandbox's unit tests: each runs a few instructions
//! through the call ABI, so a test says exactly what the guest does.

use crate::abi;
use wasm_encoder::{
    CodeSection, ConstExpr, DataSection, EntityType, ExportKind, ExportSection, Function,
    FunctionSection, ImportSection, InstructionSink, MemorySection, MemoryType, TypeSection,
    ValType,
};

/// Function index of the `fd_write` import.
pub(crate) const FD_WRITE: u32 = 0;
/// Function index of the panic hook's import.
pub(crate) const PANIC: u32 = 1;

/// The 10 bytes at 16, behind an iovec at 0 (and room for `nwritten` at 8), for
/// [`write_ten`].
pub(crate) const TEN_BYTES: &[u8] = b"\x10\0\0\0\x0a\0\0\0\0\0\0\0\0\0\0\x000123456789";

/// Writes [`TEN_BYTES`]'s ten bytes to stdout and drops the errno.
pub(crate) fn write_ten(f: &mut InstructionSink<'_>) {
    f.i32_const(1)
        .i32_const(0)
        .i32_const(1)
        .i32_const(8)
        .call(FD_WRITE)
        .drop();
}

/// Builds a guest: imports `fd_write` ([`FD_WRITE`]), the panic hook's import ([`PANIC`])
/// and `extra` if given; one memory of 1 page holding `data` at address 0 (exported, or with
/// `shared` imported as `env.memory`, shared, as a threaded build does), `judge_alloc`
/// (always 1024) and `judge_call`, which runs `body` and returns no bytes.
pub(crate) fn guest(
    shared: bool,
    extra: Option<(&str, &str)>,
    data: &[u8],
    body: impl FnOnce(&mut InstructionSink<'_>),
) -> Vec<u8> {
    let memory = MemoryType {
        minimum: 1,
        maximum: shared.then_some(16),
        memory64: false,
        shared,
        page_size_log2: None,
    };
    let mut module = wasm_encoder::Module::new();
    let mut types = TypeSection::new();
    types.ty().function([ValType::I32; 4], [ValType::I32]);
    types.ty().function([ValType::I32; 6], []);
    types.ty().function([ValType::I32], [ValType::I32]);
    types.ty().function([ValType::I32; 2], [ValType::I64]);
    types.ty().function([], []);
    module.section(&types);
    let mut imports = ImportSection::new();
    imports.import(
        "wasi_snapshot_preview1",
        "fd_write",
        EntityType::Function(0),
    );
    imports.import(abi::PANIC_MODULE, abi::PANIC, EntityType::Function(1));
    if let Some((module, name)) = extra {
        imports.import(module, name, EntityType::Function(4));
    }
    if shared {
        imports.import("env", abi::MEMORY, memory);
    }
    module.section(&imports);
    let defined = 2 + u32::from(extra.is_some());
    let mut functions = FunctionSection::new();
    functions.function(2);
    functions.function(3);
    module.section(&functions);
    if !shared {
        let mut memories = MemorySection::new();
        memories.memory(memory);
        module.section(&memories);
    }
    let mut exports = ExportSection::new();
    exports.export(abi::MEMORY, ExportKind::Memory, 0);
    exports.export(abi::ALLOC, ExportKind::Func, defined);
    exports.export(abi::CALL, ExportKind::Func, defined + 1);
    module.section(&exports);
    let mut code = CodeSection::new();
    let mut alloc = Function::new([]);
    alloc.instructions().i32_const(1024).end();
    code.function(&alloc);
    let mut call = Function::new([]);
    let mut sink = call.instructions();
    body(&mut sink);
    sink.i64_const(0).end();
    code.function(&call);
    module.section(&code);
    let mut segments = DataSection::new();
    segments.active(0, &ConstExpr::i32_const(0), data.iter().copied());
    module.section(&segments);
    module.finish()
}
