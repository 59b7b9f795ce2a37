/* thutuc: the "your own list" form on a procedure page.
 *
 * Plain JavaScript, no request to anywhere: the page carries its procedure as JSON
 * (<script id="tt-data">) and this file applies the same rules as `thutuc checklist`
 * (tool/thutuc/conditions.py, tailor.py, fees.py). A browser test compares the two for every
 * procedure with questions, so a change to one side must be made on the other.
 */
(function () {
  "use strict";

  var source = document.getElementById("tt-data");
  var form = document.getElementById("tt-form");
  if (!source || !form) return;
  var data = JSON.parse(source.textContent);

  function holds(cond, answers) {
    if (cond === null || cond === undefined) return true;
    if (cond.all_of) return cond.all_of.every(function (c) { return holds(c, answers); });
    if (cond.any_of) return cond.any_of.some(function (c) { return holds(c, answers); });
    if (cond.not) return !holds(cond.not, answers);
    if (!(cond.q in answers) || answers[cond.q] === null) return false;
    var v = answers[cond.q];
    if ("eq" in cond) return v === cond.eq;
    if ("ne" in cond) return v !== cond.ne;
    if ("in" in cond) return cond["in"].indexOf(v) >= 0;
    if ("gt" in cond) return v > cond.gt;
    if ("gte" in cond) return v >= cond.gte;
    if ("lt" in cond) return v < cond.lt;
    if ("lte" in cond) return v <= cond.lte;
    return false;
  }

  // holds() over the answers so far: null while a missing answer could still decide it
  // (conditions.py holds_so_far); a question not asked is in `decided` as null.
  function holdsSoFar(cond, decided) {
    if (cond === null || cond === undefined) return true;
    var parts, i, r, open = false;
    if (cond.all_of || cond.any_of) {
      parts = cond.all_of || cond.any_of;
      for (i = 0; i < parts.length; i++) {
        r = holdsSoFar(parts[i], decided);
        if (r === null) open = true;
        else if (r === !cond.all_of) return r;
      }
      return open ? null : !!cond.all_of;
    }
    if (cond.not) {
      r = holdsSoFar(cond.not, decided);
      return r === null ? null : !r;
    }
    return cond.q in decided ? holds(cond, decided) : null;
  }

  function inForce(from, to, day) {
    return (!from || from <= day) && (!to || day <= to);
  }

  function plainNumber(n) {
    var text = String(Math.abs(n)).replace(".", ",");
    var parts = text.split(",");
    parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    return (n < 0 ? "-" : "") + parts.join(",");
  }

  // The limits `thutuc checklist -a` applies (tailor.py parse_answer): a finite number within the
  // question's min and max, a whole one for what a fee counts. Anything else is refused with a
  // message, as the command refuses it, and no list is shown from it.
  function numberProblem(q, input) {
    if (input.validity && input.validity.badInput) return "Hãy nhập một số.";
    if (input.value === "") return null;
    var n = Number(input.value);
    if (!isFinite(n)) return "Hãy nhập một số.";
    if (n < q.min || n > q.max) {
      return !q.declared_max && n < q.min
        ? "Hãy nhập một số từ " + plainNumber(q.min) + " trở lên."
        : "Hãy nhập một số từ " + plainNumber(q.min) + " đến " + plainNumber(q.max) + ".";
    }
    if (q.whole && Math.floor(n) !== n) return "Hãy nhập một số nguyên, không có phần lẻ.";
    return null;
  }

  // A question with a condition (its "when", over earlier answers only) is shown only while it
  // holds, as `thutuc checklist` asks it only then (tailor.py visible_answers): a hidden question
  // is not counted as unanswered, and what was typed in it changes neither papers nor fees.
  function readAnswers() {
    var answers = {}, invalid = [], decided = {}, hidden = [];
    data.questions.forEach(function (q) {
      var value = null;
      var set = form.querySelector('fieldset[data-q="' + q.key + '"]');
      var asked = holdsSoFar(q.when, decided);
      if (set) set.hidden = asked !== true;
      if (asked !== true) {  // not asked, or not yet (an earlier answer is missing): hidden, unused
        if (asked === false) decided[q.key] = null;
        hidden.push(q.key);
        var errorBox = document.getElementById("tt-error-" + q.key);
        if (errorBox) errorBox.hidden = true;
        return;
      }
      if (q.type === "boolean" || q.type === "choice") {
        var checked = form.querySelector('input[name="' + q.key + '"]:checked');
        if (checked) value = q.type === "boolean" ? checked.value === "true" : checked.value;
      } else {
        var input = form.querySelector('[name="' + q.key + '"]');
        if (input && q.type === "number") {
          var problem = numberProblem(q, input);
          var box = document.getElementById("tt-error-" + q.key);
          if (box) {
            box.textContent = "";
            if (problem) {
              var strong = document.createElement("strong");
              strong.textContent = problem;
              box.appendChild(strong);
            }
            box.hidden = !problem;
          }
          if (problem) {
            input.setAttribute("aria-invalid", "true");
            invalid.push(q.key);
          } else {
            input.removeAttribute("aria-invalid");
            if (input.value !== "") value = Number(input.value);
          }
        } else if (input && input.value !== "") {
          value = input.value;
        }
      }
      if (value !== null) answers[q.key] = value;
      if (value !== null) decided[q.key] = value;
    });
    return { answers: answers, invalid: invalid, hidden: hidden };
  }

  function number(answers, key, fallback) {
    return key && answers[key] !== undefined ? answers[key] : fallback;
  }

  // Each unit priced by the first tier holding its rank, counted by ranges like fees.py tiered():
  // the work depends on the number of tiers, never on the number of units.
  function tiered(units, tiers, flat) {
    if (!tiers || !tiers.length) return Math.max(units, 0) * (flat || 0);
    var total = 0;
    var free = units >= 1 ? [[1, units]] : [];  // ranks no earlier tier has priced, inclusive
    for (var i = 0; i < tiers.length && free.length; i++) {
      var t = tiers[i];
      var lo = Math.ceil(t.from), hi = t.to === undefined || t.to === null ? null : Math.floor(t.to);
      var rest = [];
      free.forEach(function (range) {
        var a = range[0], b = range[1];
        var start = Math.max(a, lo), end = hi === null ? b : Math.min(b, hi);
        if (start > end) { rest.push(range); return; }
        total += (end - start + 1) * t.amount;
        if (a < start) rest.push([a, start - 1]);
        if (end < b) rest.push([end + 1, b]);
      });
      free = rest;
    }
    return total;
  }

  // Percentages in exact decimal arithmetic, as fees.py does with fractions: floating point
  // would now and then give one đồng less (0,7 % of some values is x.99999…).
  function decimal(x) {
    var s = String(x), i = s.indexOf(".");
    if (typeof BigInt === "undefined" || !/^-?\d+(\.\d+)?$/.test(s)) return null;
    return { n: BigInt(s.replace(".", "")), d: BigInt(10) ** BigInt(i < 0 ? 0 : s.length - i - 1) };
  }

  function percentOf(value, percent) {  // floor(value × percent / 100)
    var a = decimal(value), p = decimal(percent);
    if (!a || !p) return Math.floor(value * percent / 100);
    var num = a.n * p.n, den = a.d * p.d * BigInt(100), q = num / den;
    if (num % den !== BigInt(0) && (num < 0) !== (den < 0)) q -= BigInt(1);
    return Number(q);
  }

  function amountOf(fee, answers) {
    if (fee.kind === "free") return 0;
    if (fee.kind === "unknown" || fee.kind === "set_by_province") return null;
    if (fee.kind === "fixed") return fee.amount;
    if (fee.kind === "per_unit") {
      var each = tiered(Math.trunc(number(answers, fee.units, 1)), fee.tiers, fee.amount);
      if (fee.cap !== null && fee.cap !== undefined) each = Math.min(each, fee.cap);
      return each * Math.trunc(number(answers, fee.times, 1));
    }
    if (fee.kind === "percent") {
      var value = percentOf(number(answers, fee.of, 0), fee.percent);
      if (fee.min !== null && fee.min !== undefined) value = Math.max(value, fee.min);
      if (fee.max !== null && fee.max !== undefined) value = Math.min(value, fee.max);
      return value;
    }
    return null;
  }

  function fees(answers, channel, day) {
    var lines = [];
    data.fees.forEach(function (fee) {
      if (fee.channels.length && fee.channels.indexOf(channel) < 0) return;
      if (!holds(fee.when, answers) || !inForce(fee.valid_from, fee.valid_to, day)) return;
      var amount = amountOf(fee, answers);
      fee.exemptions.forEach(function (ex) {
        if (ex.when && amount && holds(ex.when, answers)) amount = 0;
      });
      // fees.py reduction_applies/reduce: only while in force on the day, only on the channels it
      // covers; a new amount (never above the one it lowers) or a percent off, in exact đồng
      var applied = [];
      fee.reductions.forEach(function (red) {
        if (amount && inForce(red.valid_from, red.valid_to, day) &&
            (!red.channels || !red.channels.length || red.channels.indexOf(channel) >= 0)) {
          if (red.amount !== undefined && red.amount !== null) amount = Math.min(amount, red.amount);
          else amount -= -percentOf(-amount, red.percent);  // floor(amount × (100 − r) / 100) = amount − ceil(amount × r / 100)
          applied.push(red.text);
        }
      });
      lines.push({ name: fee.name, kind: fee.kind, amount: amount, reductions: applied });
    });
    return lines;
  }

  function money(n) {
    return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ".") + " đồng";
  }

  function today() {
    var d = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  // The quantity wording of thutuc's wording.quantity, for a paper whose counts depend on an
  // answer (times: multiplied; pages: ", mỗi bản N trang"); the others come worded from Python.
  function two(n) { return (n < 10 ? "0" : "") + n; }

  function countsText(c, answers) {
    var n = c.times && typeof answers[c.times] === "number" ? Math.floor(answers[c.times]) : 1;
    var parts = [];
    var o = c.originals * n, cc = c.certified_copies * n, cp = c.copies * n;
    if (o) parts.push(two(o) + " bản chính");
    if (cc) parts.push(two(cc) + " bản sao có chứng thực");
    if (cp) parts.push(two(cp) + " bản sao");
    var text = parts.join(", ");
    if (c.quantity_note) text = text ? text + " (" + c.quantity_note + ")" : c.quantity_note;
    text = text || "số lượng chưa rõ";
    if (c.pages && typeof answers[c.pages] === "number") text += ", mỗi bản " + plainNumber(answers[c.pages]) + " trang";
    return text;
  }

  function answered(c, answers) {
    return c && ((c.times && typeof answers[c.times] === "number") || (c.pages && typeof answers[c.pages] === "number"));
  }

  function quantityFor(d, answers) {
    return answered(d.counts, answers) ? countsText(d.counts, answers) : d.quantity;
  }

  function lookupFor(d, answers) {
    if (d.fallback_tail && answered(d.counts, answers)) {
      return d.lookup_head + " (nếu không tra cứu được: mang " + countsText(d.counts, answers) + d.fallback_tail + ")";
    }
    return d.lookup;
  }

  function render() {
    var read = readAnswers();
    var answers = read.answers;
    var picked = form.querySelector('input[name="tt-channel"]:checked');
    var channel = picked ? picked.value : data.channels[0];
    var day = form.getAttribute("data-date") || today();
    var unanswered = data.questions.filter(function (q) {
      return !(q.key in answers) && read.hidden.indexOf(q.key) < 0;
    }).length;

    var docs = document.getElementById("tt-docs");
    docs.textContent = "";
    var body = document.getElementById("tt-fees");
    body.textContent = "";
    var sum = document.getElementById("tt-total");
    if (read.invalid.length) {  // like the command: no list and no fee from an answer it refuses
      sum.removeAttribute("data-amount");
      sum.textContent = "";
      document.getElementById("tt-status").textContent =
        "Có câu trả lời chưa hợp lệ (xem thông báo ở câu hỏi): sửa lại để xem danh sách giấy tờ và lệ phí.";
      return;
    }
    data.documents.forEach(function (d) {
      if (d.channels.length && d.channels.indexOf(channel) < 0) return;
      if (!inForce(d.valid_from, d.valid_to, day) || !holds(d.when, answers)) return;
      var li = document.createElement("li");
      li.setAttribute("data-doc-id", d.id);
      li.setAttribute("data-group", d.group);
      var label;
      if (d.group === "submit" || d.group === "show") {  // only what the citizen brings has a tick box
        var box = document.createElement("input");
        box.type = "checkbox";
        box.id = "tt-have-" + d.id;
        label = document.createElement("label");
        label.htmlFor = box.id;
        label.textContent = (d.group === "show" ? "Xuất trình: " : "") + d.text + " — " + quantityFor(d, answers);
        li.appendChild(box);
      } else {
        label = document.createElement("span");
        if (d.group === "lookup") {
          label.textContent = d.text + ": " + lookupFor(d, answers);
        } else if (d.group === "prepared") {
          label.textContent = d.text + " — " + d.quantity;
        } else {
          label.textContent = d.text;
        }
      }
      li.appendChild(label);
      (d.notes || []).forEach(function (note) {
        var small = document.createElement("small");
        small.className = "tt-doc-note";
        small.textContent = note;
        li.appendChild(document.createElement("br"));
        li.appendChild(small);
      });
      docs.appendChild(li);
    });

    var total = 0, complete = true;
    fees(answers, channel, day).forEach(function (line) {
      var tr = document.createElement("tr");
      tr.setAttribute("data-amount", line.amount === null ? "" : String(line.amount));
      var name = document.createElement("td");
      name.textContent = line.name;
      var cell = document.createElement("td");
      if (line.amount === null) {
        complete = false;
        cell.textContent = line.kind === "set_by_province" ? "Theo mức HĐND tỉnh quyết định" : "Chưa rõ mức thu";
      } else {
        total += line.amount;
        cell.textContent = line.amount ? money(line.amount) : "Miễn phí";
        if (line.amount && line.reductions.length) {
          tr.setAttribute("data-reduced", "true");
          var small = document.createElement("small");
          small.className = "tt-reduction";
          small.textContent = " (" + line.reductions.join("; ") + ")";
          cell.appendChild(small);
        }
      }
      tr.appendChild(name);
      tr.appendChild(cell);
      body.appendChild(tr);
    });
    sum.setAttribute("data-amount", String(total));
    sum.textContent = "Tổng cộng: " + money(total) + (complete ? "" : " (chưa gồm các khoản chưa rõ mức thu)");
    document.getElementById("tt-status").textContent = unanswered
      ? "Còn " + unanswered + " câu hỏi chưa trả lời: danh sách dưới đây chỉ gồm giấy tờ chắc chắn cần."
      : "Danh sách giấy tờ cho trường hợp của bạn:";
  }

  form.addEventListener("change", render);
  form.addEventListener("input", render);
  var print = document.getElementById("tt-print");
  if (print) {
    print.addEventListener("click", function () {
      document.body.classList.add("tt-print-mine");
      window.print();
    });
    window.addEventListener("afterprint", function () { document.body.classList.remove("tt-print-mine"); });
  }
  render();
})();
