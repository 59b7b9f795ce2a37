# thutuc — every target creates .venv itself, so `make site` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
AXE := tests/js/node_modules/axe-core/axe.min.js

.PHONY: site check serve test bench clean messages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

$(AXE): tests/js/package.json tests/js/package-lock.json
	npm ci --prefix tests/js --no-audit --no-fund --loglevel=error

## Check the catalogue, build the website into public/ and sample checklists into samples/.
site: $(STAMP)
	$(BIN)/thutuc build --catalogue catalogue --out public
	mkdir -p samples
	$(BIN)/thutuc checklist dang-ky-bien-dong-chuyen-nhuong-thua-ke-tang-cho -a loai_bien_dong=tang_cho \
	  -a dang_the_chap=khong -a tach_thua=khong -a nop_thay=khong --applicant "Nguyễn Văn Bình" \
	  --submitted "2026-02-10 09:00" -o samples/sang-ten-dat-cho-con.pdf
	$(BIN)/thutuc checklist 1.001193 -a dung_han=co -a giay_to_ve_viec_sinh=cam_doan -a mang_thai_ho=khong \
	  -a nop_thay=co -a so_ban_sao=1 --have to-khai --have tuy-than --submitted "2026-11-26 15:40" \
	  -o samples/khai-sinh-phieu-bo-sung.pdf
	$(BIN)/thutuc checklist 1.001193 -a dung_han=co -a giay_to_ve_viec_sinh=cam_doan -a mang_thai_ho=khong \
	  -a nop_thay=co -a so_ban_sao=1 --have to-khai --have tuy-than --have giay-cam-doan --have uy-quyen \
	  --receipt --applicant "Trần Thị Hoa" --submitted "2026-11-26 15:40" -o samples/khai-sinh-giay-hen.pdf
	$(BIN)/thutuc checklist 2.000815 -a so_trang=5 -a so_ban=3 --format html --submitted "2026-11-26 09:00" \
	  -o samples/chung-thuc-ban-sao.html
	@echo "Site: public/index.html (preview: make serve). Sample checklists: samples/. Generated Markdown: build/site/."

check: $(STAMP)
	$(BIN)/thutuc check catalogue

## Live preview on http://127.0.0.1:8000/ while you edit catalogue/.
serve: $(STAMP)
	$(BIN)/thutuc serve

## Run every test, browser tests included (needs Debian's chromium and npm; see README).
test: $(STAMP) $(AXE)
	$(BIN)/python -m pytest

## Time check and build at 100, 1,000 and 5,000 synthetic procedures; writes bench-out/bench.json.
## After changing a message in the code: extract, merge into the Vietnamese catalogue, compile.
## Then translate the new entries (empty msgstr) in tool/thutuc/locale/vi/LC_MESSAGES/thutuc.po.
messages: $(STAMP)
	$(BIN)/python tool/update_messages.py

bench: $(STAMP)
	$(BIN)/python tests/bench/bench.py

clean:
	rm -rf $(VENV) bench-out build public samples tests/js/node_modules
