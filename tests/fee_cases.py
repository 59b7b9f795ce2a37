"""A passport procedure after the national record 1.001456 (tests/records/1.001456/facts.md), laid over
the golden base catalogue: fees per case (first passport 200.000 đ, lost or damaged 400.000 đ), the
online/post reduction of Thông tư 44/2023/TT-BTC (160.000 / 320.000 đ, 01/07/2023–31/12/2023) that the
record still shows in 2026, and the result by post at the carrier's charge."""

from pathlib import Path

from helpers import make_catalogue

PASSPORT = """\
id: cap-ho-chieu
title: Cấp hộ chiếu phổ thông ở trong nước
summary: Cấp hộ chiếu phổ thông cho công dân Việt Nam ở trong nước.
field: ho-tich
levels: [tinh]
agencies:
  deciding: ubnd-xa
  receiving: ttphvhc-xa
applicants: [cong-dan-viet-nam]
questions:
  - key: cap_lai
    ask: Cấp lại do bị mất hoặc hư hỏng?
    type: boolean
    default: false
  - key: gia_tri
    ask: Giá trị kê khai
    type: number
    unit: đồng
documents:
  - id: to-khai
    group: submit
    name: Tờ khai đề nghị cấp hộ chiếu (mẫu TK01)
    originals: 1
  - id: don-bao-mat
    group: submit
    name: Đơn báo mất hộ chiếu
    originals: 1
    when: {q: cap_lai, eq: true}
channels:
  - kind: in_person
  - kind: online
    online_level: partial
  - kind: post
processing_time:
  unit: working_days
  amount: 8
  source: Luật Xuất cảnh, nhập cảnh của công dân Việt Nam
fees:
  - name: Lệ phí cấp hộ chiếu
    kind: fixed
    amount: 200000
    when: {q: cap_lai, eq: false}
    source: Thông tư 25/2021/TT-BTC
    reductions:
      - amount: 160000
        channels: [online, post]
        valid_from: 2023-07-01
        valid_to: 2023-12-31
        source: Thông tư 44/2023/TT-BTC
  - name: Lệ phí cấp lại hộ chiếu (bị mất, hư hỏng)
    kind: fixed
    amount: 400000
    when: {q: cap_lai, eq: true}
    source: Thông tư 25/2021/TT-BTC
    reductions:
      - percent: 20
        channels: [online, post]
        valid_from: 2023-07-01
        valid_to: 2023-12-31
        source: Thông tư 44/2023/TT-BTC
  - name: Lệ phí trước bạ thử
    kind: percent
    percent: 0.5
    of: gia_tri
    source: Điều 11 Luật Hộ tịch
    reductions:
      - percent: 50
        channels: [online]
        valid_to: 2026-12-31
        source: Nghị quyết thử
delivery:
  - how: post
    charge: carrier
    source: https://dichvucong.gov.vn/ (1.001456)
results:
  - name: Hộ chiếu phổ thông
legal_basis:
  - ref: luat-ho-tich-2014
sources:
  - Thông tư 25/2021/TT-BTC
lifecycle:
  status: active
  last_reviewed: 2026-06-30
"""


def passport_catalogue(tmp: Path, text: str = PASSPORT) -> Path:
    root = make_catalogue(tmp)
    (root / "procedures/ho-tich/cap-ho-chieu.yaml").write_text(text, encoding="utf-8")
    return root
