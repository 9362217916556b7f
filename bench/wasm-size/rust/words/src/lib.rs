//! A small library exported to a WebAssembly host: the host asks for a buffer with `alloc`,
//! writes a UTF-8 string into it, and calls `word_count`, which frees it.

/// A buffer of `len` bytes in the module's memory, for the host to write a string into.
#[unsafe(no_mangle)]
pub extern "C" fn alloc(len: usize) -> *mut u8 {
    let mut buffer = Vec::<u8>::with_capacity(len);
    let pointer = buffer.as_mut_ptr();
    std::mem::forget(buffer);
    pointer
}

/// The number of whitespace-separated words in the `len` bytes at `pointer` (a buffer from
/// `alloc`, which this frees), or -1 when they are not UTF-8.
///
/// # Safety
///
/// `pointer` must come from `alloc(len)` and hold `len` bytes written by the host.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn word_count(pointer: *mut u8, len: usize) -> i32 {
    // SAFETY: the caller passes a buffer `alloc(len)` returned, now holding `len` bytes.
    let bytes = unsafe { Vec::from_raw_parts(pointer, len, len) };
    match String::from_utf8(bytes) {
        Ok(text) => i32::try_from(text.split_whitespace().count()).unwrap_or(i32::MAX),
        Err(_) => -1,
    }
}
