"""How long AgentCPM-Report 8B would take on this CPU (engine.llm.cpu_estimate): the
sizes it scales by, the report's steps, and a real measurement of the demo model."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from engine.cli import cli
from engine.llm import model_size, report_budget
from engine.llm.cpu_estimate import Machine, Speed, target_size
from engine.llm.gguf_header import read_gguf, tensor_elements


def test_the_published_shape_rule_gives_the_demo_files_own_parameter_count(demo_model_path):
    """from_shape (how the 8B is sized before download) against a real file's tensors."""
    info = read_gguf(demo_model_path)
    shape = {"hidden": info.arch_value("embedding_length"), "layers": info.n_layers,
             "ffn": info.arch_value("feed_forward_length"),
             "heads": info.arch_value("attention.head_count"),
             "kv_heads": info.arch_value("attention.head_count_kv"),
             "head_dim": info.arch_value("embedding_length")
             // info.arch_value("attention.head_count"), "file_bytes": info.size_bytes}
    from_file = model_size.from_gguf(demo_model_path)
    assert model_size.from_shape(from_file.name, shape) == from_file
    assert sum(tensor_elements(demo_model_path).values()) > 130e6    # "135M" with embeddings


def test_the_8b_is_sized_from_its_catalogue_entry():
    label, size = target_size()
    assert label == "AgentCPM-Report 8B"
    assert 7.4e9 < size.block_params < 7.8e9      # 8.19B less embedding and output head
    assert size.kv_bytes_per_token == 32 * 2 * 128 * 2 * 2


def test_a_full_report_has_the_published_mix_of_steps():
    steps = report_budget.full_report_steps()
    kinds = [s.kind for s in steps]
    assert kinds.count("write") == 39 and kinds.count("extend-plan") == 12
    assert kinds.count("search") == 40 and len(steps) <= 140
    writes = [s.prompt for s in steps if s.kind == "write"]
    assert writes == sorted(writes) and writes[-1] > writes[0]      # the outline grows
    assert report_budget.run_steps(10) == steps[:10]


SPEED = Speed(prefill_tok_s=400.0, decode_tok_s=40.0, prompt_tokens=256, decode_tokens=32,
              threads=2, seconds=3.0)


def test_decode_scales_with_bytes_read_and_prefill_with_flops(demo_model_path):
    demo = model_size.from_gguf(demo_model_path)
    machine = Machine.from_speed(SPEED, demo)
    # the measured model at the measured point comes back at the measured speeds
    assert machine.prefill_seconds(demo, 256) == pytest.approx(256 / 400)
    assert machine.decode_seconds(demo, 256, 32) == pytest.approx(32 / 40)
    twice = model_size.ModelSize(**{**demo.__dict__, "weight_bytes": 2 * demo.weight_bytes,
                                    "kv_bytes_per_token": 2 * demo.kv_bytes_per_token})
    assert machine.decode_seconds(twice, 256, 32) == pytest.approx(2 * 32 / 40)
    _, big = target_size()
    assert machine.hours(big, report_budget.run_steps(40)) < \
        machine.hours(big, report_budget.run_steps())


def test_estimate_command_measures_the_demo_model(demo_model_path):
    result = CliRunner().invoke(cli, ["estimate", "--json", "--steps", "30",
                                      "--measure", str(demo_model_path)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    measured = data["measured"]
    assert measured["prefill_tok_s"] > measured["decode_tok_s"] > 0
    assert 0 < data["limited_hours"] < data["full_hours"] and data["step_limit"] == 30
    assert data["target_decode_tok_s"] < measured["decode_tok_s"] / 20   # 50x the bytes
    assert data["text"].startswith("This build runs models on the CPU; AgentCPM-Report 8B "
                                   "takes about ") and "30-step limit" in data["text"]
    assert data["measured_model"] and "scaled to AgentCPM-Report 8B" in data["basis"]
