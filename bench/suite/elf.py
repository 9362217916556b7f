"""How an x86-64 ELF executable is linked, read from its headers."""

import struct


def linkage(path):
    """A Markdown phrase: static or dynamic (with the libraries it needs), whether it has a
    symbol table, and whether it carries DWARF debug info."""
    data = path.read_bytes()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise ValueError(f"{path} is not a 64-bit little-endian ELF file")
    phoff, shoff = struct.unpack_from("<QQ", data, 0x20)
    phentsize, phnum, shentsize, shnum, shstrndx = struct.unpack_from("<HHHHH", data, 0x36)

    # Program headers: PT_LOAD maps addresses to file offsets, PT_INTERP names the dynamic
    # loader, PT_DYNAMIC holds the DT_NEEDED (shared library) entries.
    loads, interp, dynamic = [], None, None
    for i in range(phnum):
        p_type, _, p_offset, p_vaddr, _, p_filesz = struct.unpack_from("<IIQQQQ", data, phoff + i * phentsize)
        if p_type == 1:
            loads.append((p_vaddr, p_offset, p_filesz))
        elif p_type == 3:
            interp = data[p_offset : p_offset + p_filesz].rstrip(b"\0").decode()
        elif p_type == 2:
            dynamic = (p_offset, p_filesz)

    def file_offset(vaddr):
        for start, offset, size in loads:
            if start <= vaddr < start + size:
                return offset + vaddr - start
        raise ValueError(f"{path}: address {vaddr:#x} is in no loaded segment")

    def c_string(offset):
        return data[offset : data.index(b"\0", offset)].decode()

    needed = []
    if dynamic:
        entries = [struct.unpack_from("<qQ", data, dynamic[0] + i) for i in range(0, dynamic[1], 16)]
        strtab = next((value for tag, value in entries if tag == 5), None)  # DT_STRTAB
        if strtab is not None:
            needed = [c_string(file_offset(strtab) + value) for tag, value in entries if tag == 1]  # DT_NEEDED

    names_offset = struct.unpack_from("<Q", data, shoff + shstrndx * shentsize + 0x18)[0] if shnum else 0
    sections = {c_string(names_offset + struct.unpack_from("<I", data, shoff + i * shentsize)[0]) for i in range(shnum)}

    if interp or needed:
        libraries = ", ".join(f"`{name}`" for name in needed)
        kind = f"dynamically linked (needs {libraries})" if needed else "dynamically linked"
    else:
        kind = "statically linked"
    symbols = "with a symbol table" if ".symtab" in sections else "no symbol table"
    debug = "with DWARF debug info" if any(s.startswith(".debug_") for s in sections) else "no debug info"
    return f"{kind}, {symbols}, {debug}"
