"""The tiny benchmark helpers print figures; they never assert on speed."""

from __future__ import annotations

from assistant.embeddings.bench import measure_query_latency, measure_throughput


def test_measure_throughput_and_latency(e5_int8, law_articles):
    result = measure_throughput(e5_int8, law_articles[:30])
    print(f"\nint8 e5: {result['texts_per_s']:.1f} articles/s over {result['texts']} articles")
    assert result["texts"] == 30 and result["seconds"] > 0
    latency = measure_query_latency(e5_int8, ["小微企业税收优惠", "专利代理机构的设立条件"], repeats=2)
    print(f"query latency p50 {latency['p50_ms']:.1f} ms, p95 {latency['p95_ms']:.1f} ms")
    assert latency["queries"] == 4 and latency["p95_ms"] >= latency["p50_ms"]
