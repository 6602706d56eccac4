#!/usr/bin/python3
"""Independent oracle for test-pe: prints what python3-pefile reads from a PE
file as JSON, in the shape of Specimen's "pe" report section, so the C test
can compare field by field. Only pefile's own parsing is used here."""

import json
import sys

import pefile


def text(value):
    if value is None:
        return None
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return value


def section_name(section):
    raw = section.Name.split(b"\0", 1)[0]
    return "".join(chr(b) if 0x20 <= b < 0x7F and b != 0x5C else "\\x%02x" % b for b in raw)


def functions(entry):
    result = []
    for imp in entry.imports:
        if imp.import_by_ordinal:
            result.append("ord:%d" % imp.ordinal)
        else:
            result.append(text(imp.name))
    return result


def tls_callbacks(pe):
    if not hasattr(pe, "DIRECTORY_ENTRY_TLS"):
        return None
    va = pe.DIRECTORY_ENTRY_TLS.struct.AddressOfCallBacks
    callbacks = []
    if va == 0:
        return callbacks
    rva = va - pe.OPTIONAL_HEADER.ImageBase
    width = 8 if pe.PE_TYPE == pefile.OPTIONAL_HEADER_MAGIC_PE_PLUS else 4
    while len(callbacks) < 256:
        data = pe.get_data(rva + len(callbacks) * width, width)
        if len(data) < width:
            break
        value = int.from_bytes(data, "little")
        if value == 0:
            break
        callbacks.append(value)
    return callbacks


def main(path):
    pe = pefile.PE(path)
    opt = pe.OPTIONAL_HEADER
    out = {
        "machine": pe.FILE_HEADER.Machine,
        "timestamp": pe.FILE_HEADER.TimeDateStamp,
        "number_of_sections": pe.FILE_HEADER.NumberOfSections,
        "characteristics": pe.FILE_HEADER.Characteristics,
        "is_dll": pe.is_dll(),
        "pe32plus": pe.PE_TYPE == pefile.OPTIONAL_HEADER_MAGIC_PE_PLUS,
        "magic": opt.Magic,
        "entry_point": opt.AddressOfEntryPoint,
        "image_base": opt.ImageBase,
        "subsystem": opt.Subsystem,
        "dll_characteristics": opt.DllCharacteristics,
        "linker_version": "%d.%d" % (opt.MajorLinkerVersion, opt.MinorLinkerVersion),
        "os_version": "%d.%d" % (opt.MajorOperatingSystemVersion, opt.MinorOperatingSystemVersion),
        "size_of_image": opt.SizeOfImage,
        "checksum_stored": opt.CheckSum,
        "checksum_computed": pe.generate_checksum(),
        "sections": [
            {
                "name": section_name(s),
                "virtual_address": s.VirtualAddress,
                "virtual_size": s.Misc_VirtualSize,
                "raw_offset": s.PointerToRawData,
                "raw_size": s.SizeOfRawData,
                "characteristics": s.Characteristics,
                "entropy": s.get_entropy(),
            }
            for s in pe.sections
        ],
        "imphash": pe.get_imphash(),
        "imports": [
            {"dll": text(e.dll), "functions": functions(e)}
            for e in getattr(pe, "DIRECTORY_ENTRY_IMPORT", [])
        ],
        "delay_imports": [
            {"dll": text(e.dll), "functions": functions(e)}
            for e in getattr(pe, "DIRECTORY_ENTRY_DELAY_IMPORT", [])
        ],
        "has_signature": opt.DATA_DIRECTORY[4].VirtualAddress != 0
        and opt.DATA_DIRECTORY[4].Size != 0,
        "is_dotnet": opt.DATA_DIRECTORY[14].VirtualAddress != 0
        and opt.DATA_DIRECTORY[14].Size != 0,
        "has_rich_header": pe.RICH_HEADER is not None,
    }
    if hasattr(pe, "DIRECTORY_ENTRY_EXPORT"):
        export = pe.DIRECTORY_ENTRY_EXPORT
        out["export_name"] = text(pe.get_string_at_rva(export.struct.Name))
        out["exports"] = []
        for symbol in export.symbols:
            item = {"ordinal": symbol.ordinal, "rva": symbol.address}
            if symbol.name is not None:
                item["name"] = text(symbol.name)
            if symbol.forwarder is not None:
                item["forwarder"] = text(symbol.forwarder)
            out["exports"].append(item)
    version = {}
    for file_info in getattr(pe, "FileInfo", []):
        for entry in file_info:
            for table in getattr(entry, "StringTable", []):
                for key, value in table.entries.items():
                    version.setdefault(text(key), text(value))
    out["version_info"] = version
    overlay = pe.get_overlay_data_start_offset()
    if overlay is not None:
        out["overlay"] = {"offset": overlay, "size": len(pe.__data__) - overlay}
    callbacks = tls_callbacks(pe)
    if callbacks is not None:
        out["tls_callbacks"] = callbacks
    json.dump(out, sys.stdout, indent=1)


if __name__ == "__main__":
    main(sys.argv[1])
