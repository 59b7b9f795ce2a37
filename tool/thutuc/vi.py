"""Vietnamese wording and formats: money, dates, labels, and folding for search."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

LEVELS = {"bo": "Cấp bộ", "tinh": "Cấp tỉnh", "huyen": "Cấp huyện", "xa": "Cấp xã", "khac": "Cơ quan khác"}
CHANNELS = {"in_person": "Trực tiếp", "online": "Trực tuyến", "post": "Dịch vụ bưu chính"}
ONLINE_LEVELS = {"full": "Dịch vụ công trực tuyến toàn trình", "partial": "Dịch vụ công trực tuyến một phần"}
GROUPS = {"submit": "Giấy tờ phải nộp", "show": "Giấy tờ phải xuất trình",
          "lookup": "Không cần mang — cán bộ tra cứu", "prepared": "Cán bộ lập tại quầy, bạn ký",
          "unknown": "Thành phần hồ sơ"}
LOOKUP_SOURCES = {
    "dan_cu": "Cơ sở dữ liệu quốc gia về dân cư",
    "can_cuoc": "Cơ sở dữ liệu căn cước",
    "cu_tru": "Cơ sở dữ liệu về cư trú",
    "ho_tich": "Cơ sở dữ liệu hộ tịch điện tử",
    "dat_dai": "Cơ sở dữ liệu quốc gia về đất đai",
    "dang_ky_doanh_nghiep": "Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp",
    "thue": "Cơ sở dữ liệu về thuế",
    "bao_hiem": "Cơ sở dữ liệu quốc gia về bảo hiểm",
    "ly_lich_tu_phap": "Cơ sở dữ liệu lý lịch tư pháp",
    "xuat_nhap_canh": "Cơ sở dữ liệu quốc gia về xuất nhập cảnh",
    "dang_ky_xe": "Cơ sở dữ liệu đăng ký xe",
    "vneid": "Ứng dụng định danh điện tử VNeID",
    "chuyen_nganh": "cơ sở dữ liệu chuyên ngành",
}
APPLICANTS = {
    "cong-dan-viet-nam": "Công dân Việt Nam",
    "nguoi-viet-nam-dinh-cu-o-nuoc-ngoai": "Người Việt Nam định cư ở nước ngoài",
    "nguoi-nuoc-ngoai": "Người nước ngoài",
    "doanh-nghiep": "Doanh nghiệp",
    "hop-tac-xa": "Hợp tác xã",
    "to-chuc": "Tổ chức",
    "ho-gia-dinh": "Hộ gia đình",
    "ho-kinh-doanh": "Hộ kinh doanh",
    "can-bo-cong-chuc-vien-chuc": "Cán bộ, công chức, viên chức",
}
STATUS = {"draft": "Bản nháp", "active": "Đang áp dụng", "suspended": "Tạm ngừng", "abolished": "Đã bãi bỏ"}
DAYS = {"mon": "Thứ Hai", "tue": "Thứ Ba", "wed": "Thứ Tư", "thu": "Thứ Năm", "fri": "Thứ Sáu",
        "sat": "Thứ Bảy", "sun": "Chủ nhật"}
WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]
TIME_UNITS = {"working_days": "ngày làm việc", "calendar_days": "ngày", "working_hours": "giờ làm việc"}
STARTS = {"complete_file": "kể từ ngày nhận đủ hồ sơ hợp lệ", "payment": "kể từ ngày nộp đủ phí, lệ phí"}


def money(amount: int | float) -> str:
    """12345678 -> '12.345.678 đồng' (dot thousands, comma decimals)."""
    whole = int(round(amount))
    return f"{whole:,}".replace(",", ".") + " đồng"


def number(value: float) -> str:
    """0.5 -> '0,5'; 12.0 -> '12'."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value}".replace(".", ",")


def date(value: str | dt.date) -> str:
    d = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return d.strftime("%d/%m/%Y")


def quantity(originals: int, certified: int, copies: int, note: str | None = None) -> str:
    parts = []
    if originals:
        parts.append(f"{originals:02d} bản chính")
    if certified:
        parts.append(f"{certified:02d} bản sao có chứng thực")
    if copies:
        parts.append(f"{copies:02d} bản sao")
    text = ", ".join(parts)
    if note:
        text = f"{text} ({note})" if text else note
    return text or "số lượng chưa rõ"


def days_list(days) -> str:
    """('mon', ..., 'fri') -> 'Thứ Hai – Thứ Sáu' when consecutive, else a list."""
    order = list(DAYS)
    idx = sorted(order.index(d) for d in days)
    if len(idx) > 2 and idx == list(range(idx[0], idx[-1] + 1)):
        return f"{DAYS[order[idx[0]]]} – {DAYS[order[idx[-1]]]}"
    return ", ".join(DAYS[order[i]] for i in idx)


def fold(text: str) -> str:
    """Lower case without diacritics, đ -> d: what citizens type on a phone."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def slugify(text: str, sep: str = "-") -> str:
    """'Đăng ký khai sinh' -> 'dang-ky-khai-sinh' (keeps Vietnamese readable, maps đ to d)."""
    return re.sub(r"[^a-z0-9]+", sep, fold(text)).strip(sep)


def toc_slugify(value: str, separator: str, unicode: bool = False) -> str:
    """Slug function for Python-Markdown's toc extension (mkdocs.yml)."""
    return slugify(value, separator)


def time_limit(unit: str, amount: int | None, cutoff: str | None, starts: str | None = None) -> str:
    """A processing time in plain words, the same on the website and on checklists."""
    if unit == "unknown":
        return "Chưa có thông tin chính thức về thời hạn giải quyết."
    if unit == "same_day":
        text = "Trong ngày"
        if cutoff:
            text += f"; nếu nhận hồ sơ sau {cutoff.replace(':', ' giờ ')} thì trả kết quả trong ngày làm việc tiếp theo"
        return text + "."
    text = f"{amount:02d} {TIME_UNITS[unit]}"
    if starts in STARTS:
        text += f" {STARTS[starts]}"
    return text + "."
