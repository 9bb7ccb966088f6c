"""Make variants of the tiny demo GGUF for tests with the gguf package: another chat
template, no chat template, a truncated copy."""
from __future__ import annotations

from pathlib import Path

import gguf

CHAT_TEMPLATE = "tokenizer.chat_template"

# The shape of MiniCPM4.1's template where it matters to Deepdraft: ChatML turns and a
# thinking block that `enable_thinking=false` closes empty before the reply.
MINICPM_TEMPLATE = (
    "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + "
    "message['content'] + '<|im_end|>\\n' }}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}"
    "{% if enable_thinking is defined and enable_thinking is false %}"
    "{{ '<think>\\n\\n</think>\\n\\n' }}{% else %}{{ '<think>\\n' }}{% endif %}{% endif %}")


def rewrite_gguf(src: Path, dst: Path, *, chat_template: str | None) -> Path:
    """Copy `src` to `dst` with its chat template replaced (None: removed)."""
    reader = gguf.GGUFReader(src)
    arch = reader.fields[gguf.Keys.General.ARCHITECTURE].contents()
    writer = gguf.GGUFWriter(dst, arch=arch, endianess=reader.endianess)
    for field in reader.fields.values():
        if (field.name == gguf.Keys.General.ARCHITECTURE or field.name.startswith("GGUF.")
                or field.name == CHAT_TEMPLATE):
            continue
        kind = field.types[0]
        sub = field.types[-1] if kind == gguf.GGUFValueType.ARRAY else None
        writer.add_key_value(field.name, field.contents(), kind, sub_type=sub)
    if chat_template is not None:
        writer.add_chat_template(chat_template)
    for tensor in reader.tensors:
        writer.add_tensor_info(tensor.name, tensor.data.shape, tensor.data.dtype,
                               tensor.data.nbytes, tensor.tensor_type)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_ti_data_to_file()
    for tensor in reader.tensors:
        writer.write_tensor_data(tensor.data, tensor_endianess=reader.endianess)
    writer.close()
    return dst


def truncated_copy(src: Path, dst: Path, keep: int) -> Path:
    with src.open("rb") as handle:
        dst.write_bytes(handle.read(keep))
    return dst
