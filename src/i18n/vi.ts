import type { CommandName, CommandText } from "../model/commands.ts";
import { quoteInput } from "../domain/clean-text.ts";
import { formatInteger, formatPercent } from "../lib/format.ts";
import { formatDateTimeVi, formatDateVi, type LocalDate } from "../lib/time.ts";
import type { ErrorAgency } from "../model/errors.ts";
import type { DutyState } from "../domain/status.ts";
import type { PlanErrorCode, PlanWarningReason } from "../plan/parse-plan.ts";
import type { Role } from "../model/roles.ts";
import type { AttachmentProblem } from "../model/bot-core.ts";
import type { DeliveryFailureReason } from "../model/messages.ts";
import type { MemberKind } from "../domain/short-name.ts";
import { SHEET_NAMES, STATUS_ICON, type ErrorTexts, type ReportErrorTexts } from "./shared.ts";

// Every user-facing Vietnamese text lives here; en.ts mirrors it key for key.

// What someone typed, quoted back: one line and a short prefix, never 100 KB.
const q = (typed: string) => quoteInput(typed);
const num = (n: number) => formatInteger(n, ".");
const pct = (n: number) => formatPercent(n, ",", ".");
const date = (d: LocalDate) => formatDateVi(d);
/** "09:00 ngày 02/12/2026", as a report says when its figures stand. */
const asOf = (at: Date) => {
  const [day, time] = formatDateTimeVi(at).split(" ");
  return `${time} ngày ${day}`;
};
/** A title inside a sentence: its first letter lower-case ("Thực hiện…" → "thực hiện…"). */
const lowerFirst = (text: string) => text.charAt(0).toLocaleLowerCase("vi") + text.slice(1);
const memberName = (name: string) => `UBND ${name}`;
// Members are communes, named by their committee, as agencyLabel in views.ts does for a row.
const agencyName = (a: ErrorAgency) => (a.parentId === null ? a.name : memberName(a.name));
/** A file's size in megabytes, to one decimal: "25 MB", "20,5 MB". */
const mb = (bytes: number) => `${String(Math.round((bytes / 1024 / 1024) * 10) / 10).replace(".", ",")} MB`;

export const vi = {
  locale: "vi" as "vi" | "en",
  num,
  pct,
  date,

  telegram: {
    /** Answer to a press on a button whose meaning is no longer known (pruned after a month). */
    buttonExpired: "Nút này đã hết hạn. Gõ /trogiup để xem các lệnh.",
  },

  sheet: {
    invites: "Mã mời",
    agency: "Mã cơ quan",
    name: "Tên đơn vị",
    code: "Mã mời",
    expiresAt: "Hết hạn",
    link: "Liên kết",
  },

  reports: {
    cliBadFormat: (formats: string) => `--format phải là một trong: ${formats}.`,
    cliBadSince: (value: string) => `Ngày "${value}" không hợp lệ. Ghi dd/mm/yyyy hoặc YYYY-MM-DD.`,
    cliDone: (file: string, bytes: number) => `Đã ghi ${file} (${bytes} byte).`,
    cliBadReportOption: (option: string, value: string) =>
      `${option} "${q(value)}" không hợp lệ: ghi một dòng, tối đa 120 ký tự; ký hiệu (--symbol) gồm chữ, số, &, . hoặc -, không có khoảng trắng, ví dụ SNV. Chưa xuất gì.`,
    sheets: SHEET_NAMES,
    planCols: [
      "Mã kế hoạch",
      "Tên kế hoạch",
      "Hạn báo cáo (trước ngày)",
      "Đã nộp báo cáo",
      "Số cơ quan",
      "Nhiệm vụ hoàn thành",
      "Số nhiệm vụ",
      "Vướng mắc chưa giải quyết",
    ],
    plan: "Kế hoạch",
    deadline: "Hạn nộp báo cáo",
    generatedAt: "Thời điểm lập (giờ Việt Nam)",
    filterAgency: "Cơ quan",
    filterSince: "Từ ngày",
    indicators: "Chỉ tiêu",
    indicatorCols: [
      "Mã",
      "Chỉ tiêu",
      "Tỷ lệ mục tiêu",
      "Số người mục tiêu",
      "Số người thuộc diện",
      "Số người mới nhất",
      "Tỷ lệ mới nhất",
      "Còn thiếu so với mục tiêu",
      "Người báo",
      "Thời điểm báo",
    ],
    submittedCount: "Số cơ quan đã nộp",
    notSubmittedCount: "Số cơ quan chưa nộp",
    byStatus: "Nhiệm vụ theo trạng thái",
    count: "Số lượng",
    dutyCols: [
      "STT",
      "Mã cơ quan",
      "Tên cơ quan",
      "Mã nhiệm vụ",
      "Nhiệm vụ",
      "Trạng thái",
      "Tỷ lệ",
      "Ghi chú mới nhất",
      "Cập nhật lần cuối",
      "Người báo cáo",
    ],
    submissionCols: [
      "STT",
      "Mã cơ quan",
      "Tên cơ quan",
      "Đã nộp",
      "Số văn bản",
      "Ngày văn bản",
      "Thời điểm nộp",
      "Đúng hạn",
      "Người nộp",
    ],
    difficultyCols: [
      "STT",
      "Mã cơ quan",
      "Tên cơ quan",
      "Nhiệm vụ",
      "Nội dung",
      "Người nêu",
      "Thời điểm nêu",
      "Tình trạng",
      "Hướng giải quyết",
    ],
    historyCols: [
      "STT",
      "Thời điểm",
      "Mã cơ quan",
      "Tên cơ quan",
      "Mã nhiệm vụ",
      "Trạng thái",
      "Tỷ lệ",
      "Ghi chú",
      "Người báo cáo",
    ],
    yes: "Có",
    no: "Chưa",
    onTime: "Đúng hạn",
    late: "Trễ hạn",
    membersSubmitted: (n: number, total: number) => `${n}/${total} đơn vị thành viên đã nộp`,
    open: "Chưa giải quyết",
    resolved: "Đã giải quyết",
    fileSent: (name: string) => `Tệp ${name} đã được lập.`,
    exportUsage: "Cách dùng: /xuat [xlsx|csv]",
    /** The draft report (Decree 30/2020 form): every sentence is fixed, a figure, or what someone reported. */
    doc: {
      nation: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      motto: "Độc lập - Tự do - Hạnh phúc",
      // The number is left for the clerk: spaces where it goes.
      number: (symbol: string) => `Số:        /BC-${symbol}`,
      placeDate: (place: string, year: number) => `${place}, ngày      tháng      năm ${year}`,
      kind: "BÁO CÁO",
      subject: (title: string) =>
        /^thực hiện\s/iu.test(title) ? `Kết quả ${lowerFirst(title)}` : `Kết quả thực hiện ${lowerFirst(title)}`,
      to: (addressee: string) => `Kính gửi: ${addressee}.`,
      committee: (kind: string, province: string) => `Ủy ban nhân dân ${kind} ${province}`,
      committeeShort: (kind: string, province: string) => `UBND ${kind} ${province}`,
      defaultIssuer: "Sở Nội vụ",
      defaultSymbol: "SNV",
      defaultSigner: "KT. GIÁM ĐỐC/PHÓ GIÁM ĐỐC",
      results: "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
      resultCols: ["STT", "Chỉ tiêu", "Mục tiêu", "Thực hiện (số liệu mới nhất)", "Đánh giá", "Còn thiếu (người)"],
      people: (n: number) => `${num(n)} người`,
      figureDate: (at: Date) => `(ngày ${formatDateTimeVi(at).slice(0, 10)})`,
      met: "Đạt",
      notMet: "Chưa đạt",
      noFigure: "Chưa có số liệu",
      duties: "II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ",
      submissionsHeading: "1. Tình hình gửi báo cáo",
      deadline: (d: LocalDate) =>
        `Theo Kế hoạch, các cơ quan, đơn vị gửi báo cáo kết quả thực hiện trước ngày ${date(d)}.`,
      submittedCount: (at: Date, counts: readonly string[]) =>
        `Đến ${asOf(at)}, đã có ${counts.join(" và ")} gửi báo cáo.`,
      unitsCount: (done: number, total: number) => `${done}/${total} cơ quan, đơn vị`,
      membersCount: (done: number, total: number, noun: string) => `${done}/${total} ${noun}`,
      notSubmitted: (names: readonly string[]) => `Các cơ quan, đơn vị chưa gửi báo cáo: ${names.join("; ")}.`,
      membersMissing: (n: number, noun: string, appendix: string) => `${n} ${noun} (danh sách tại ${appendix})`,
      allSubmitted: "Tất cả các cơ quan, đơn vị đã gửi báo cáo.",
      agenciesHeading: "2. Kết quả thực hiện nhiệm vụ của các cơ quan, đơn vị",
      submittedAs: (number: string | null, d: LocalDate | null) =>
        `đã gửi ${number ? `Báo cáo số ${number}` : "báo cáo"}${d ? ` ngày ${date(d)}` : ""}`,
      notSubmittedYet: "chưa gửi báo cáo",
      membersSummary: (total: number, noun: string, done: number, appendix: string) =>
        `${total} ${noun}: ${done} đã nộp, ${total - done} chưa nộp; danh sách tại ${appendix}`,
      dutyCols: ["Mã", "Nhiệm vụ", "Kết quả thực hiện"],
      notReported: "Chưa báo cáo",
      withPercent: (label: string, percent: number) => `${label}, ${pct(percent)}`,
      memberStatus: (label: string, n: number) => `${label}: ${n}`,
      memberKind: { commune: "xã", ward: "phường", township: "thị trấn", special_zone: "đặc khu" } satisfies Record<
        MemberKind,
        string
      >,
      members: "đơn vị thành viên",
      difficulties: "III. KHÓ KHĂN, VƯỚNG MẮC",
      dutyReference: (section: string, item: string, letter: string | null) =>
        `${letter ? `điểm ${letter} ` : ""}khoản ${item} Mục ${section} Kế hoạch`,
      difficulty: (agency: string, reference: string | null, raisedAt: Date, text: string) =>
        `${agency}${reference ? ` (nhiệm vụ tại ${reference})` : ""}, ngày ${formatDateTimeVi(raisedAt).slice(0, 10)}: ${text}`,
      resolved: (at: Date, resolution: string | null) =>
        `Đã giải quyết ngày ${formatDateTimeVi(at).slice(0, 10)}${resolution ? `: ${resolution}` : "."}`,
      none: "Không có.",
      proposals: "IV. ĐỀ XUẤT, KIẾN NGHỊ",
      closing: (subject: string, issuer: string, addressee: string) =>
        `Trên đây là báo cáo ${lowerFirst(subject)}. ${issuer} kính báo cáo ${addressee} xem xét, chỉ đạo./.`,
      recipients: "Nơi nhận:",
      asAbove: "- Như trên;",
      recipient: (name: string) => `- ${name};`,
      archive: "- Lưu: VT.",
      appendix: (numeral: string | null) => (numeral ? `Phụ lục ${numeral}` : "Phụ lục"),
      appendixTitle: (noun: string) => `TÌNH HÌNH BÁO CÁO CỦA CÁC ${noun.toLocaleUpperCase("vi")}`,
      appendixOf: (symbol: string, year: number, issuer: string) =>
        `(Kèm theo Báo cáo số        /BC-${symbol} ngày      tháng      năm ${year} của ${issuer})`,
      appendixCols: ["STT", "Đơn vị", "Gửi báo cáo"],
      submittedShort: (number: string | null, d: LocalDate | null) =>
        `${number ? `Số ${number}` : "Đã gửi"}${d ? `\nngày ${date(d)}` : ""}`,
      notSubmittedShort: "Chưa gửi",
    },
    chartTitle: (title: string) =>
      /^thực hiện\s/iu.test(title) ? `Tiến độ ${lowerFirst(title)}` : `Tiến độ thực hiện ${lowerFirst(title)}`,
    chartAsOf: (at: Date) => `Số liệu đến ${asOf(at)}`,
    chartIndicators: "Tỷ lệ tham gia so với mục tiêu",
    chartLatest: "Thực hiện",
    chartTarget: "Mục tiêu",
    chartNoFigure: "chưa có số liệu",
    chartFigure: (latest: number | null, target: number) =>
      latest === null ? `chưa có số liệu / ${num(target)} người` : `${num(latest)} / ${num(target)} người`,
    chartDuties: "Nhiệm vụ theo tình trạng, từng cơ quan (% số nhiệm vụ)",
    chartMembers: (group: string, noun: string) => `${group}: ${noun} đã gửi báo cáo`,
    chartSubmitted: "Đã gửi",
    chartNotSubmitted: "Chưa gửi",
    documentUsage: "Cách dùng: /tailieu CƠ_QUAN, ví dụ /tailieu IV.4",
    noDocument: (agency: string) => `${agency} chưa có báo cáo đã nộp kèm tệp.`,
    documentLink: (agency: string) => `Tệp đính kèm báo cáo của ${agency}:`,
  },

  delivery: {
    fileUnavailable: (name: string) =>
      `📎 Tệp "${name}" không gửi được qua nền tảng này. Vui lòng liên hệ Sở Nội vụ để nhận tệp, hoặc mở bằng Telegram hay Slack nếu đã liên kết (/lienket).`,
    /** Platforms by the names people know; one not listed shows as it is stored. */
    platforms: { telegram: "Telegram", slack: "Slack", zalo: "Zalo", console: "dòng lệnh" } as Record<string, string>,
    /** What a push was, for a coordinator: a reminder point "T-3" is "lời nhắc (còn 3 ngày)". */
    kind: {
      beforeDeadline: (days: number) => `lời nhắc (còn ${days} ngày)`,
      overdue: (n: number) => `lời nhắc quá hạn (lần ${n})`,
      reminder: "lời nhắc",
      nudge: "lời nhắc của điều phối viên",
      notification: "thông báo",
      digest: "bản tin tổng hợp",
      other: "tin nhắn",
    },
    /** Why a push did not go out, in words a coordinator can act on. */
    reasons: {
      blocked: "đã chặn bot",
      not_started: "chưa nhắn tin cho bot lần nào",
      not_allowed: "chưa nhắn tin cho bot lần nào hoặc đã chặn bot",
      account_gone: "tài khoản không còn hoạt động",
      chat_gone: "cuộc trò chuyện với bot không còn",
      network: "lỗi mạng",
      platform_error: "nền tảng báo lỗi",
      rate_limited: "nền tảng yêu cầu gửi chậm lại",
      unknown: "không rõ lý do",
    } satisfies Record<DeliveryFailureReason, string>,
    /** What the coordinator can do about it. */
    advice: {
      blocked:
        "Hãy gọi điện báo nội dung cho người nhận và nhờ họ bỏ chặn bot, rồi nhắn cho bot một tin bất kỳ: từ đó bot gửi tin được cho họ.",
      not_started:
        "Hãy gọi điện báo nội dung cho người nhận và nhờ họ mở bot, nhắn một tin bất kỳ (ví dụ /trogiup): từ đó bot gửi tin được cho họ.",
      not_allowed:
        "Hãy gọi điện báo nội dung cho người nhận và nhờ họ mở bot (bỏ chặn nếu đã chặn), nhắn một tin bất kỳ: từ đó bot gửi tin được cho họ.",
      account_gone:
        "Hãy gọi điện báo nội dung cho người nhận. Tài khoản này không dùng được nữa: gửi họ mã mời mới (/moi CƠ_QUAN) để tham gia bằng tài khoản khác.",
      chat_gone:
        "Hãy gọi điện báo nội dung cho người nhận và nhờ họ mở lại cuộc trò chuyện với bot, nhắn một tin bất kỳ.",
      network: "Hãy gọi điện báo nội dung cho người nhận, hoặc gửi lại sau.",
      platform_error: "Hãy gọi điện báo nội dung cho người nhận, hoặc gửi lại sau.",
      rate_limited: "Hãy gọi điện báo nội dung cho người nhận, hoặc gửi lại sau.",
      unknown: "Hãy gọi điện báo nội dung cho người nhận, hoặc gửi lại sau.",
    } satisfies Record<DeliveryFailureReason, string>,
    unreachable: (reason: string) => `không liên lạc được, ${reason}`,
    failedFinal: (reason: string, attempts: number) =>
      `gửi lỗi (${reason}), đã thử ${num(attempts)} lần, hệ thống không gửi lại nữa`,
    /** Told to the coordinator whose command queued the push, once it failed for good. */
    failureNotice: (
      what: string,
      recipient: string,
      queuedAt: string,
      outcome: string,
      excerpt: string,
      advice: string,
    ) =>
      `⚠️ Không gửi được ${what} tới ${recipient} (xếp lúc ${queuedAt}): ${outcome}.\nNội dung: "${excerpt}"\n${advice}`,
    /** What a command that pushes to others says will become of each push. */
    outlook: {
      resolved: (id: number) => `Đã đóng vướng mắc #${id}.`,
      reopened: (agency: string) => `Đã mở lại báo cáo của ${agency}.`,
      reply: "trả lời",
      comment: "nhận xét",
      sent: (what: string, people: number) => `Đã gửi ${what} tới ${num(people)} người.`,
      queued: (what: string, people: number, at: string) =>
        `Vì đang ngoài giờ nhắn tin, ${what} sẽ được gửi tới ${num(people)} người lúc ${at}.`,
      nobody: (what: string, agency: string) =>
        `${agency} chưa có đầu mối nào dùng bot, nên ${what} chưa được gửi tới ai.`,
      unreachableHeader: (n: number) => `Không gửi được tới ${num(n)} người:`,
      unreachableLine: (person: string, platforms: string, reason: string, advice: string) =>
        `• ${person} (${platforms}): ${reason}. ${advice}`,
      heldHeader: (n: number) => `Đang chờ (${num(n)} người):`,
      heldLine: (person: string, platforms: string) =>
        `• ${person}: ${platforms} hiện không chạy ở đâu; tin sẽ được gửi khi ${platforms} chạy lại. Hãy báo người quản trị.`,
    },
  },

  slack: {
    title: "Nhắc Việc",
    close: "Đóng",
    processing: "Đang ghi nhận… Kết quả sẽ hiện ở đây và trong tin nhắn với Nhắc Việc.",
    working: "Đang lập tệp… Anh/Chị vui lòng chờ trong giây lát.",
    unavailable:
      "Slack đang bận nên yêu cầu này chưa được xử lý, chưa có gì được ghi nhận. Vui lòng thử lại sau ít phút.",
    reportModal: {
      title: "Báo cáo tiến độ",
      submit: "Gửi báo cáo",
      cancel: "Hủy",
      intro: (agency: string) => `Báo cáo tiến độ một nhiệm vụ của ${agency}.`,
      duty: "Nhiệm vụ",
      dutyPlaceholder: "Chọn nhiệm vụ",
      dutyGroup: (from: number, to: number) => `Nhiệm vụ ${from}–${to}`,
      status: "Trạng thái",
      statusPlaceholder: "Chọn trạng thái",
      percent: "Tỷ lệ hoàn thành (%)",
      percentHint: "Số nguyên, ví dụ 60. Để trống nếu không ghi tỷ lệ.",
      note: "Ghi chú",
      noteHint:
        "Kết quả, số liệu… Khi chọn Vướng mắc: mô tả ngắn vướng mắc, kiến nghị (được chuyển ngay tới Sở Nội vụ).",
      figuresHeader: "Số liệu chỉ tiêu: số người tham gia, để trống nếu không cập nhật.",
      figure: (code: string, name: string) => `${code} ${name}`,
      notice: "Chưa ghi nhận được báo cáo:",
    },
    submitModal: {
      title: "Nộp báo cáo",
      next: "Xem lại",
      cancel: "Hủy",
      number: "Số văn bản",
      numberPlaceholder: "Ví dụ 123/BC-SNV",
      date: "Ngày văn bản",
      file: "Tệp văn bản báo cáo (ảnh chụp hoặc PDF, tối đa 20 MB)",
      confirmTitle: "Xác nhận nộp",
    },
    home: {
      report: "Báo cáo",
      submit: "Nộp báo cáo",
      more: (n: number) => `… và ${n} nhiệm vụ khác: gõ /nhacviec nhiemvu để xem đủ.`,
    },
    /** The app's description in Slack's directory (the manifest); `slash` is the one slash command. */
    manifest: {
      description: "Nhắc các cơ quan báo cáo nhiệm vụ kế hoạch đúng hạn; nhận báo cáo ngay trong Slack.",
      about:
        "Nhắc Việc theo dõi các nhiệm vụ mà kế hoạch của tỉnh giao cho từng cơ quan, nhắc đầu mối báo cáo đúng hạn\n" +
        "và giúp Sở Nội vụ tổng hợp tình hình, vướng mắc và số liệu.",
      usage: (slash: string) => `Dùng một lệnh: ${slash} LỆNH [tham số] (tên tiếng Anh trong ngoặc cũng được).`,
      join: (slash: string, word: string) => ` Tham gia: ${slash} ${word} MÃ_MỜI.`,
      command: (name: string, alias: string, description: string) => `• ${name} (${alias}): ${description}`,
      example:
        "Nhắn riêng cho Nhắc Việc để báo cáo bằng một dòng, ví dụ: IV.4.b 60% đang thực hiện: đã kết nối dữ liệu.",
      slashDescription: "Báo cáo, nộp báo cáo, xem nhiệm vụ và tình hình (gõ trogiup để xem các lệnh)",
      slashHint: (names: string) => `[${names}] [tham số]`,
    },
  },

  planErrors: {
    "plan.empty": "Tệp kế hoạch trống.",
    "plan.no_title": 'Không tìm thấy dòng "KẾ HOẠCH" và tên kế hoạch: tệp này không giống một kế hoạch.',
    "plan.no_section_iv": 'Không tìm thấy mục "IV." (tổ chức thực hiện): không có cơ quan nào để theo dõi.',
    "plan.no_agency": 'Mục "IV." không có cơ quan nào được đánh số (1., 2., ...).',
    "plan.bad_target": "Chỉ tiêu ở mục II thiếu tỷ lệ (%) hoặc thiếu hai con số người (ví dụ 1.115.590 người).",
    "plan.no_deadline": 'Không tìm thấy hạn báo cáo ("trước ngày dd/mm") trong đoạn "Trên đây là...".',
  } satisfies Record<PlanErrorCode, string>,
  zalo: {
    fileLink: (name: string, url: string) => `📎 Tệp "${name}": ${url}\n(Liên kết tải tệp hết hạn sau 24 giờ.)`,
    unsupported:
      "Nhắc Việc chưa đọc được loại tin này. Vui lòng gửi tin chữ, hoặc ảnh chụp báo cáo kèm lệnh /nopbaocao.",
    qrHeader: "Mã QR Zalo",
  },
  atLine: (line: number) => ` (dòng ${line})`,
  warningReasons: {
    outside_item: "dòng nằm ngoài mọi mục được đánh số, đã bỏ qua",
    text_before_duties: "chữ giữa tên cơ quan và nhiệm vụ a), đã bỏ qua",
    empty_item: "mục không có nội dung",
    out_of_sequence: "số hoặc chữ cái không theo thứ tự (vẫn được đọc)",
    duplicate_item: "mục trùng mã, được ghép vào mục trước",
    target_mismatch: "tỷ lệ ghi trong văn bản khác với số người chia cho số người thuộc diện",
    target_extra_text: "dòng thừa sau các số liệu của chỉ tiêu, đã bỏ qua",
  } satisfies Record<PlanWarningReason, string>,

  cli: {
    usageHeader: "Cách dùng: npm run --silent cli -- <lệnh> [tùy chọn]",
    // Beside the first form of a command in the usage; the forms themselves are in src/cli/.
    summaries: {
      planParse: "đọc một văn bản kế hoạch, không ghi gì",
      planImport: "nạp kế hoạch vào sổ kế hoạch; các kế hoạch khác vẫn áp dụng",
    },
    unknownCommand: (cmd: string) =>
      `Lệnh không hợp lệ: "${q(cmd)}". Chạy "npm run --silent cli -- help" để xem các lệnh.`,
    missingArgument: (what: string) => `Thiếu ${what}.`,
    // What each command that writes a file had not done yet when writing it failed.
    notDone: { invites: "Chưa tạo mã mời nào", backup: "Chưa sao lưu gì", export: "Chưa xuất gì" },
    outputUnwritable: (path: string, notDone: string) =>
      `Không ghi được tệp "${path}": thư mục không tồn tại hoặc không có quyền ghi. ${notDone}; hãy chọn đường dẫn khác.`,
    outputIsFolder: (path: string, notDone: string) =>
      `"${path}" là một thư mục; hãy ghi cả tên tệp (ví dụ ${path.replace(/\/+$/, "")}/ten-tep). ${notDone}.`,
    outputFailed: (path: string, notDone: string) =>
      `Không ghi được tệp "${path}": ổ đĩa đã đầy, chỉ cho đọc, hoặc không cho tạo tệp ở đó. ${notDone}; hãy chọn đường dẫn khác.`,
    backupPostgres:
      'Lệnh db backup dành cho tệp SQLite. Với PostgreSQL, hãy sao lưu bằng pg_dump, ví dụ: pg_dump -Fc -d nhacviec -f sao-luu.dump (README, mục "PostgreSQL").',
    copy: {
      targetArgument: "--to postgresql://NGƯỜI_DÙNG@MÁY_CHỦ:5432/TÊN_CSDL",
      done: (target: string, tables: number, rows: number) =>
        `Đã sao chép ${num(rows)} dòng của ${num(tables)} bảng sang ${target}; số dòng từng bảng đã được đối chiếu:`,
      tableLine: (table: string, rows: number) => `  ${table}: ${num(rows)}`,
    },
    pgUnreachable: (url: string) =>
      `Không kết nối được cơ sở dữ liệu PostgreSQL "${url}": máy chủ chưa chạy, cơ sở dữ liệu chưa được tạo, hoặc sai người dùng/mật khẩu. Kiểm tra DATABASE_URL (README, mục "PostgreSQL").`,
    databaseFault: {
      "db.busy":
        "Cơ sở dữ liệu đang bận vì một tiến trình khác đang ghi (bot đang gửi nhắc việc, hoặc đang sao lưu). Chưa có gì được ghi; hãy chạy lại lệnh sau ít phút.",
      "db.corrupt": (path: string) =>
        `Tệp cơ sở dữ liệu "${path}" bị hỏng hoặc không phải tệp SQLite. Hãy khôi phục từ bản sao lưu (README, mục "Sao lưu") hoặc đặt DATABASE_URL trỏ tới tệp khác.`,
      "db.unreachable": (path: string) =>
        `Không mở được cơ sở dữ liệu "${path}": đường dẫn không tồn tại, không có quyền ghi, hoặc ổ đĩa đã đầy. Kiểm tra DATABASE_URL.`,
    },
    backupFileArgument: "tệp sao lưu (ví dụ data/sao-luu-2026-12-01.db)",
    backupExists: (path: string) => `Tệp "${path}" đã có; chọn tên khác để không ghi đè bản sao lưu cũ.`,
    backupDone: (path: string, bytes: number) =>
      `Đã sao lưu cơ sở dữ liệu vào "${path}" (${num(Math.ceil(bytes / 1024))} KB).`,
    fileMissing: (path: string) => `Không đọc được tệp "${path}": tệp không tồn tại.`,
    fileUnreadable: (path: string) => `Không đọc được tệp "${path}".`,
    badOption: (detail: string) => `Tùy chọn không hợp lệ: ${detail}`,
    planParsed: (title: string, agencies: number, duties: number, indicators: number, deadline: LocalDate) =>
      `Kế hoạch: ${title}\n${agencies} cơ quan, ${duties} nhiệm vụ, ${indicators} chỉ tiêu; báo cáo trước ngày ${date(deadline)}.`,
    planImported: (created: boolean, changed: number) =>
      created
        ? "Đã nạp kế hoạch mới; các kế hoạch khác vẫn áp dụng."
        : changed === 0
          ? "Kế hoạch đã có, không có gì thay đổi."
          : `Đã cập nhật kế hoạch (${changed} thay đổi):`,
    /** One line per kind of change in a revised plan, under planImported. */
    planChanges: {
      deadline: (from: LocalDate, to: LocalDate) => `• Hạn báo cáo: trước ngày ${date(from)} → trước ngày ${date(to)}`,
      documentNumber: (from: string | null, to: string | null) =>
        `• Số văn bản: ${from ?? "(không có)"} → ${to ?? "(không có)"}`,
      activated: "• Đặt làm kế hoạch hiện hành",
      dutiesAdded: (codes: string) => `• Nhiệm vụ mới: ${codes}`,
      dutiesReworded: (codes: string) => `• Nhiệm vụ sửa nội dung: ${codes}`,
      dutiesWithdrawn: (codes: string) => `• Nhiệm vụ rút khỏi kế hoạch: ${codes}`,
      dutiesReordered: (codes: string) => `• Nhiệm vụ đổi thứ tự: ${codes}`,
      agencyAdded: (code: string, name: string) => `• Cơ quan mới: ${code} ${name}`,
      agencyRenamed: (code: string, from: string, to: string) => `• Cơ quan ${code} đổi tên: ${from} → ${to}`,
      agencyRequested: (code: string, name: string, requested: boolean) =>
        `• ${code} ${name}: kế hoạch nay ${requested ? "đề nghị" : "yêu cầu"} (trước đây ${requested ? "yêu cầu" : "đề nghị"})`,
      agencyWithdrawn: (code: string, name: string) => `• Cơ quan rút khỏi kế hoạch: ${code} ${name}`,
      agenciesReordered: (codes: string) => `• Cơ quan đổi thứ tự: ${codes}`,
      indicatorAdded: (code: string, name: string) => `• Chỉ tiêu mới: ${code} ${name}`,
      indicatorChanged: (code: string, name: string, fields: string) => `• Chỉ tiêu ${code} (${name}): ${fields}`,
      indicatorName: (from: string, to: string) => `tên "${from}" → "${to}"`,
      indicatorRate: (from: number, to: number) => `tỷ lệ mục tiêu ${pct(from)} → ${pct(to)}`,
      indicatorParticipants: (from: number, to: number) => `số người mục tiêu ${num(from)} → ${num(to)}`,
      indicatorEligible: (from: number, to: number) => `số người thuộc diện ${num(from)} → ${num(to)}`,
      indicatorWithdrawn: (code: string, name: string) => `• Chỉ tiêu rút khỏi kế hoạch: ${code} ${name}`,
      indicatorsReordered: (codes: string) => `• Chỉ tiêu đổi thứ tự: ${codes}`,
    },
    warnings: (n: number) => `${n} cảnh báo (kế hoạch vẫn được đọc; xem lại các dòng sau):`,
    membersAdded: (group: string, added: number, updated: number, unchanged: number) =>
      `Nhóm ${group}: thêm ${added}, cập nhật ${updated}, giữ nguyên ${unchanged} đơn vị.`,
    configInvalid: (detail: string) => `Cấu hình môi trường không hợp lệ: ${detail}`,
    failed: (detail: string) => `Lỗi: ${detail}`,
    planFileArgument: "đường dẫn tệp kế hoạch",
    csvFileArgument: "đường dẫn tệp CSV",
    jsonFileArgument: "đường dẫn tệp JSON",
    policyInvalid: (detail: string) => `Chính sách nhắc việc không hợp lệ, chưa lưu gì: ${detail}`,
    inviteCreated: (code: string, agency: string | null, expiresAt: string) =>
      `Mã mời ${code} cho ${agency ?? "điều phối viên"}, hết hạn ${expiresAt}.`,
    noContacts: "Chưa có ai tham gia.",
    contactMoved: (name: string, code: string, agency: string) => `${name} nay là đầu mối của ${code} ${agency}.`,
    directoryLine: (section: string, name: string, code: string, matched: boolean) =>
      `  ${section}\t${code}\t${name}${matched ? "" : " (mới trong danh mục)"}`,
    directoryHeader: "Cơ quan (số mục trong kế hoạch, mã danh mục, tên):",
    planCode: (code: string) => `Mã kế hoạch: ${code}.`,
    planLine: (
      code: string,
      title: string,
      deadline: string,
      active: boolean,
      submitted: number,
      agencies: number,
      duties: number,
    ) =>
      `${code}\t${active ? "đang áp dụng" : "đã đóng"}\ttrước ngày ${deadline}\t${agencies} cơ quan, ${duties} nhiệm vụ, đã báo cáo ${submitted}/${agencies}\t${title}`,
    noPlans: "Chưa có kế hoạch nào. Nạp kế hoạch: plan import FILE",
    planClosed: (code: string, already: boolean) =>
      already
        ? `Kế hoạch ${code} đã đóng từ trước.`
        : `Đã đóng kế hoạch ${code}: không còn nhắc việc và tổng hợp; lịch sử báo cáo vẫn giữ và vẫn xuất được (export --plan ${code}).`,
    aliasAdded: (code: string, name: string) => `Đã thêm tên gọi "${name}" cho ${code}.`,
    agencyLine: (code: string, name: string, plans: string, contacts: number) =>
      `${code}\t${name}\t${plans || "-"}\t${contacts} đầu mối`,
    noAgencies: "Danh mục cơ quan còn trống.",
    calendarMissing: (years: string) =>
      `Chưa có lịch nghỉ năm ${years}: ngày nhắc việc có thể rơi vào ngày nghỉ. Nạp lịch: calendar import FILE.csv`,
    badNow: "--now phải là thời điểm ISO 8601, ví dụ 2026-12-14T08:00 (giờ Việt Nam) hoặc 2026-12-14T08:00+07:00.",
    tickCounts: (due: number, sent: number, skipped: number) => `Đến hạn: ${due}, đã gửi: ${sent}, bỏ qua: ${skipped}`,
    calendarBadCsv: (line: number | null) =>
      `Tệp lịch nghỉ không hợp lệ${line ? ` ở dòng ${line}` : ""}: cần các cột date (YYYY-MM-DD), kind (holiday, day_off hoặc makeup_workday) và name.`,
    calendarImported: (added: number, updated: number, unchanged: number) =>
      `Lịch nghỉ: thêm ${added}, cập nhật ${updated}, giữ nguyên ${unchanged} ngày.`,
    inactive: "đã ngừng",
    localAdminName: "Quản trị (máy này)",
    serverListening: (host: string, port: number) =>
      `Nhắc Việc đang chạy ở chế độ máy chủ, nghe tại http://${host}:${port} (kiểm tra: /healthz). Dừng bằng Ctrl+C.`,
    chatBanner: "Nhắc Việc: trò chuyện tại máy này với vai trò quản trị. Gõ /trogiup để xem các lệnh, Ctrl+D để thoát.",
    chatGreeting: (name: string) =>
      `Nhắc Việc: trò chuyện tại máy này với tư cách ${name}. Gõ /start MÃ_MỜI để tham gia, /trogiup để xem các lệnh, Ctrl+D để thoát.`,
  },

  // One text per error code, for the chat and the CLI alike; where the two need other words (a
  // command to type), the entry has one for each.
  errors: {
    "plan.none_active": () => "Chưa có kế hoạch nào đang áp dụng.",
    "agency.unknown": ({ query }) => `Không tìm thấy cơ quan "${q(query)}". Ví dụ: IV.4, 4 hoặc IV.9-25195.`,
    "agency.ambiguous": ({ query, candidates: c }) => `"${q(query)}" khớp nhiều cơ quan (${c}). Vui lòng ghi mã.`,
    "agency.is_group": () =>
      "Cơ quan này là một nhóm (ví dụ UBND cấp xã): dùng --group CODE để tạo mã cho từng đơn vị.",
    "agency.not_group": () => "Cơ quan này không có đơn vị thành viên: dùng --agency CODE.",
    "agency.not_in_plan": ({ agency, plan }) => `Cơ quan ${agency} không có trong kế hoạch ${plan}.`,
    "agency.alias_taken": ({ name, agency }) => `Tên "${q(name)}" đã thuộc cơ quan ${agency}.`,
    "plan.unknown": ({ code, codes }) =>
      `Không có kế hoạch đang áp dụng mã "${q(code)}".` + (codes ? ` Các kế hoạch: ${codes}.` : ""),
    "plan.choose": ({ codes }) =>
      `Đang có nhiều kế hoạch (${codes}): vui lòng ghi mã kế hoạch, ví dụ --plan ${codes.split(", ")[0]}.`,
    "plan.bad_code": ({ code }) =>
      `Mã kế hoạch "${q(code)}" không hợp lệ: dùng chữ cái không dấu và chữ số, bắt đầu bằng chữ cái, tối đa 16 ký tự, ví dụ BHXH26.`,
    "plan.code_taken": ({ code }) => `Mã kế hoạch ${code} đã được dùng cho một kế hoạch khác.`,
    "plan.new_agencies": ({ names }) =>
      `Văn bản có cơ quan chưa có trong danh mục: ${names}. Chưa lưu gì. Thêm --create-agencies để tạo các cơ quan này, hoặc gán tên khác cho cơ quan sẵn có: agencies alias MÃ "TÊN KHÁC".`,
    "members.bad_csv": ({ line }) =>
      `Tệp CSV không hợp lệ ở dòng ${line}: cần dòng tiêu đề có cột "ma" (mã đơn vị, chỉ gồm chữ số) và "ten" (tên đơn vị), mỗi mã một lần.`,
    "invite.unknown": () => "Mã mời không đúng. Vui lòng kiểm tra lại, ví dụ: /start ABCDE-FGHJK",
    "invite.used": () => "Mã mời này đã được sử dụng. Mỗi mã chỉ dùng một lần; vui lòng xin mã mới từ Sở Nội vụ.",
    "invite.expired": () => "Mã mời này đã hết hạn. Vui lòng xin mã mới từ Sở Nội vụ.",
    "invite.revoked": () => "Mã mời này đã bị thu hồi. Vui lòng liên hệ Sở Nội vụ.",
    "invite.rate_limited": () =>
      "Mã mời vừa nhập không dùng được, và Anh/Chị đã nhập sai mã mời 5 lần trong một giờ. Vui lòng chép đúng mã Sở Nội vụ gửi, hoặc liên hệ Sở Nội vụ để xin mã mới.",
    "invite.too_many_wrong": () =>
      "Mã mời vừa nhập không dùng được. Gần đây có quá nhiều lần nhập sai mã mời; vui lòng chép đúng mã Sở Nội vụ gửi, hoặc liên hệ Sở Nội vụ để xin mã mới.",
    "invite.link_inactive": () =>
      "Mã liên kết này thuộc về một tài khoản đã ngừng hoạt động nên không dùng được; chưa có gì được ghi nhận. Nếu cần tham gia, vui lòng xin mã mời mới từ Sở Nội vụ.",
    "invite.already_joined": () => "Anh/Chị đã tham gia Nhắc Việc rồi. Gõ /trogiup để xem các lệnh.",
    "invite.bad_role": () => '--role chỉ nhận "contact" (kèm --agency CODE) hoặc "coordinator" (không kèm --agency).',
    "invite.admin_only": () =>
      "Chỉ quản trị viên mới tạo được mã mời cho điều phối viên. Để mời đầu mối: /moi CƠ_QUAN.",
    "invite.revoke_unknown": () => "Không có mã mời này.",
    "invite.revoke_used": () => "Mã mời này đã được sử dụng, không thể thu hồi.",
    "contact.unknown": {
      chat: ({ id }) => `Không có đầu mối #${q(String(id))}. Xem số bằng /daumoi CƠ_QUAN.`,
      cli: () => "Không có người dùng với số này. Xem số bằng: npm run --silent cli -- contacts list",
    },
    "contact.no_agency": () =>
      "Tài khoản đầu mối của Anh/Chị chưa được gắn với cơ quan nào nên chưa làm được việc này. Vui lòng liên hệ Sở Nội vụ.",
    "indicator.unknown": ({ code, codes }) =>
      `Không có chỉ tiêu "${q(code)}". Các mã: ${codes}. Ví dụ /chitieu II.1 1.120.000`,
    "indicator.bad_number": ({ value }) =>
      `"${q(value)}" không phải số người hợp lệ (số nguyên, không vượt quá số người thuộc diện). Ví dụ /chitieu II.1 1.120.000`,
    "indicator.not_allowed": () =>
      "Cơ quan của Anh/Chị không được giao cập nhật số liệu chỉ tiêu. Số liệu do Bảo hiểm xã hội tỉnh cập nhật.",
    "submission.none": ({ agency: a }) => `${agencyName(a)} chưa nộp báo cáo nào để mở lại.`,
    "submission.reopened": ({ agency: a, at }) =>
      `Báo cáo của ${agencyName(a)} đã được mở lại lúc ${formatDateTimeVi(at)} và đang chờ cơ quan nộp lại; không cần mở lại lần nữa.`,
    "difficulty.unknown": ({ id }) => `Không có vướng mắc #${q(String(id))}. Gõ /dsvuongmac để xem danh sách.`,
    "difficulty.resolved": ({ id }) => `Vướng mắc #${q(String(id))} đã được giải quyết trước đó.`,
    "file.too_large": () =>
      "Tệp quá lớn (tối đa 20 MB) nên chưa được nhận. Vui lòng gửi ảnh chụp nhỏ hơn hoặc tệp PDF nén.",
    "export.not_allowed": ({ agency }) => `Anh/Chị chỉ xuất được số liệu của cơ quan mình, không xuất được ${agency}.`,
    "db.copy_source_not_sqlite": () =>
      "Lệnh db copy sao chép từ tệp SQLite đang dùng, nhưng DATABASE_URL đang trỏ tới PostgreSQL. Hãy đặt DATABASE_URL về tệp SQLite cần chuyển.",
    "db.copy_target_not_postgres": () =>
      "Đích sao chép phải là địa chỉ PostgreSQL, ví dụ --to postgresql://postgres@127.0.0.1:5432/nhacviec.",
    "db.copy_target_not_empty": ({ tables }) =>
      `Cơ sở dữ liệu đích đã có dữ liệu (bảng: ${tables}). Chỉ sao chép vào một cơ sở dữ liệu mới tạo và trống; chưa có gì được ghi.`,
    "db.copy_count_mismatch": ({ table, expected, copied }) =>
      `Bảng ${table} sao chép không khớp (nguồn ${num(expected)} dòng, đích ${num(copied)} dòng). Đã huỷ toàn bộ; cơ sở dữ liệu đích vẫn trống.`,
  } satisfies ErrorTexts,

  bot: {
    statusLabel: {
      not_started: "Chưa thực hiện",
      in_progress: "Đang thực hiện",
      blocked: "Vướng mắc",
      done: "Hoàn thành",
      not_reported: "Chưa báo cáo",
    } satisfies Record<DutyState, string>,
    statusIcon: STATUS_ICON,
    daysLeft: (n: number) => (n > 1 ? `còn ${n} ngày` : n === 1 ? "hôm nay là ngày cuối" : `đã quá hạn ${1 - n} ngày`),
    agencyItem: (code: string, name: string) => `• ${code} ${name}`,
    memberName,
    roleName: { contact: "đầu mối", coordinator: "điều phối viên", admin: "quản trị" } satisfies Record<Role, string>,

    notJoined:
      "Xin chào! Nhắc Việc giúp các cơ quan theo dõi và báo cáo nhiệm vụ theo kế hoạch của tỉnh.\n" +
      "Để tham gia, gõ /start kèm mã mời do Sở Nội vụ cấp, ví dụ: /start ABCDE-FGHJK\n" +
      "Nếu chưa có mã mời, vui lòng liên hệ Sở Nội vụ.",
    deactivated:
      "Tài khoản đầu mối của Anh/Chị đã ngừng hoạt động. Nếu cần tham gia lại, vui lòng xin mã mời mới từ Sở Nội vụ.",
    welcomeContact: (
      person: string,
      agency: string,
      requested: boolean,
      duties: number,
      deadline: LocalDate,
      overdue: boolean,
    ) =>
      `Chào ${person}! Anh/Chị đã tham gia Nhắc Việc với vai trò đầu mối của ${agency}.\n` +
      (requested
        ? `Kế hoạch đề nghị ${agency} phối hợp thực hiện ${duties} nhiệm vụ`
        : `Kế hoạch giao ${agency} ${duties} nhiệm vụ`) +
      (overdue
        ? `; hạn báo cáo kết quả (trước ngày ${date(deadline)}) đã qua, đề nghị cơ quan gửi báo cáo sớm nhất.\n`
        : `; báo cáo kết quả trước ngày ${date(deadline)}.\n`) +
      "Gõ /nhiemvu để xem nhiệm vụ, /baocao để báo cáo tiến độ, /trogiup để xem tất cả các lệnh.",
    welcomeCoordinator: (person: string) =>
      `Chào ${person}! Anh/Chị đã tham gia Nhắc Việc với vai trò điều phối viên. Gõ /tongquan để xem tình hình, /trogiup để xem các lệnh.`,
    linked: (person: string) =>
      `Đã liên kết tài khoản này với ${person}. Anh/Chị có thể dùng Nhắc Việc ở đây như ở nơi khác.`,
    unknownCommand: (cmd: string) => `Không có lệnh /${q(cmd)}. Gõ /trogiup để xem các lệnh Anh/Chị dùng được.`,
    notAllowed: (cmd: string) =>
      `Lệnh /${q(cmd)} không dành cho vai trò của Anh/Chị. Gõ /trogiup để xem các lệnh Anh/Chị dùng được.`,
    notUnderstood: (example: string) =>
      `Tôi chưa hiểu tin nhắn này. Để báo cáo nhanh, gõ một dòng, ví dụ:\n${example}\nHoặc gõ /baocao để được hướng dẫn từng bước, /trogiup để xem các lệnh.`,
    notUnderstoodCoordinator: "Tôi chưa hiểu tin nhắn này. Gõ /trogiup để xem các lệnh, ví dụ /tongquan.",
    privateOnly: "Để giữ kín thông tin của cơ quan, vui lòng nhắn riêng cho Nhắc Việc (không dùng trong nhóm).",
    alreadyHandled: "Yêu cầu này đã được xử lý rồi.",
    whichPlan: (command: string) =>
      `Cơ quan của Anh/Chị có nhiều kế hoạch đang áp dụng. ${command} cho kế hoạch nào? (Lần sau có thể ghi mã kế hoạch ngay sau lệnh, ví dụ: ${command} BHYT26.)`,
    whichPlanOfAll: (command: string, example: string) =>
      `Đang có nhiều kế hoạch áp dụng. ${command} cho kế hoạch nào? (Lần sau có thể ghi mã kế hoạch ngay sau lệnh, ví dụ: ${command} ${example}.)`,
    staleChoice: "Lựa chọn này không còn hiệu lực. Gõ /trogiup để xem các lệnh.",
    /** A form's field the core cannot read at all (a value no form of ours sends). */
    fieldInvalid: "Giá trị này không hợp lệ.",
    cancelled: "Đã hủy. Không có gì được ghi nhận.",
    nothingToCancel: "Không có thao tác nào đang dở.",
    tooLong: (max: number) =>
      `Tin nhắn quá dài (tối đa ${num(max)} ký tự) nên chưa được ghi nhận. Vui lòng gửi ngắn gọn hơn hoặc chia làm nhiều tin.`,
    busy: "Hệ thống đang bận, tin nhắn vừa rồi CHƯA được ghi nhận. Vui lòng gửi lại sau ít phút.",
    internalError: "Xin lỗi, đã có lỗi hệ thống; tin nhắn chưa được ghi nhận. Vui lòng thử lại sau ít phút.",
    flowInvalid:
      "Thao tác đang dở của Anh/Chị không còn đọc được (có thể Nhắc Việc vừa được cập nhật) nên đã được hủy; chưa có gì được ghi nhận. Vui lòng bắt đầu lại, hoặc gõ /trogiup để xem các lệnh.",
    flowReminder: "Anh/Chị đang có một báo cáo dở. Trả lời câu hỏi ở trên hoặc gõ /huy để hủy.",
    languageSet: "Đã chuyển sang tiếng Việt.",
    languageUsage: "Cách dùng: /ngonngu vi hoặc /ngonngu en",
    linkCode: (code: string, days: number) =>
      `Mã liên kết: ${code}\nMở Nhắc Việc trên nền tảng kia và gõ /start ${code} trong vòng ${days} ngày. Mã chỉ dùng một lần.`,

    // Keyed by the registry's names (src/model/commands.ts), so a command without its wording does not compile.
    commands: {
      batdau: {
        description: "Tham gia bằng mã mời hoặc mã liên kết",
        usage: "/batdau MÃ_MỜI: tham gia bằng mã mời hoặc mã liên kết (gõ /start MÃ_MỜI cũng được)",
      },
      nhiemvu: {
        description: "Xem nhiệm vụ, tiến độ và số ngày còn lại",
        usage: "/nhiemvu: xem nhiệm vụ của cơ quan, tiến độ và số ngày còn lại",
      },
      baocao: {
        description: "Báo cáo tiến độ từng bước",
        usage: "/baocao: báo cáo tiến độ từng bước (chọn nhiệm vụ, trạng thái, tỷ lệ, ghi chú)",
      },
      nopbaocao: {
        description: "Nộp báo cáo chính thức của cơ quan",
        usage: "/nopbaocao [SỐ_VĂN_BẢN] [dd/mm/yyyy]: nộp báo cáo chính thức của cơ quan",
      },
      vuongmac: {
        description: "Báo khó khăn, vướng mắc, kiến nghị",
        usage: "/vuongmac NỘI_DUNG: báo khó khăn, vướng mắc, kiến nghị",
      },
      chitieu: {
        description: "Cập nhật số người tham gia theo chỉ tiêu",
        usage: "/chitieu MÃ SỐ_NGƯỜI: cập nhật số người tham gia, ví dụ /chitieu II.1 1.120.000",
      },
      kehoach: {
        description: "Tóm tắt kế hoạch và các chỉ tiêu",
        usage: "/kehoach [MÃ_KẾ_HOẠCH]: các kế hoạch đang áp dụng, hoặc tóm tắt một kế hoạch và các chỉ tiêu",
      },
      theodoi: {
        description: "Chọn các kế hoạch theo dõi",
        usage: "/theodoi [MÃ_KẾ_HOẠCH…|tatca]: các kế hoạch mà tổng quan và bản tổng hợp hằng ngày bao gồm",
      },
      tongquan: {
        description: "Tình hình chung hoặc của một cơ quan",
        usage: "/tongquan [CƠ_QUAN]: tình hình chung hoặc của một cơ quan, ví dụ /tongquan IV.9",
      },
      quahan: {
        description: "Cơ quan chưa nộp báo cáo, nhiệm vụ còn dở",
        usage: "/quahan: các cơ quan chưa nộp báo cáo và nhiệm vụ còn dở",
      },
      nhac: {
        description: "Nhắc ngay đầu mối của cơ quan chưa nộp",
        usage: "/nhac CƠ_QUAN|all: nhắc ngay đầu mối của một cơ quan hoặc tất cả cơ quan chưa nộp",
      },
      moi: {
        description: "Tạo mã mời",
        usage: "/moi CƠ_QUAN: tạo mã mời đầu mối (quản trị: /moi dieuphoi để mời điều phối viên)",
      },
      daumoi: {
        description: "Danh sách đầu mối của một cơ quan",
        usage: "/daumoi CƠ_QUAN: danh sách đầu mối của một cơ quan",
      },
      khoa: {
        description: "Ngừng một đầu mối, giữ nguyên lịch sử",
        usage: "/khoa SỐ_ĐẦU_MỐI: ngừng một đầu mối (khi thay đổi nhân sự), giữ nguyên lịch sử",
      },
      thuhoi: { description: "Thu hồi một mã mời chưa dùng", usage: "/thuhoi MÃ_MỜI: thu hồi một mã mời chưa dùng" },
      dsvuongmac: { description: "Các vướng mắc chưa giải quyết", usage: "/dsvuongmac: các vướng mắc chưa giải quyết" },
      giaiquyet: {
        description: "Trả lời và đóng một vướng mắc",
        usage: "/giaiquyet SỐ NỘI_DUNG: trả lời và đóng một vướng mắc",
      },
      molai: {
        description: "Mở lại báo cáo đã nộp để cơ quan bổ sung",
        usage: "/molai CƠ_QUAN NHẬN_XÉT: mở lại báo cáo đã nộp để cơ quan bổ sung",
      },
      tamdung: {
        description: "Tạm dừng nhắc việc cho một cơ quan",
        usage: "/tamdung CƠ_QUAN dd/mm[/yyyy]: tạm dừng nhắc việc đến hết ngày đó",
      },
      tieptuc: { description: "Bật lại nhắc việc cho một cơ quan", usage: "/tieptuc CƠ_QUAN: nhắc việc trở lại" },
      xuat: {
        description: "Xuất bảng tổng hợp (Excel hoặc CSV)",
        usage: "/xuat [xlsx|csv] [CƠ_QUAN]: nhận tệp Excel (mặc định) hoặc CSV tổng hợp tiến độ",
        contactUsage: "/xuat [xlsx|csv]: nhận tệp Excel (mặc định) hoặc CSV tiến độ của cơ quan Anh/Chị",
      },
      baocaotonghop: {
        description: "Dự thảo báo cáo tổng hợp (Word)",
        usage: "/baocaotonghop [CƠ_QUAN]: nhận dự thảo báo cáo tổng hợp dạng Word",
        contactUsage: "/baocaotonghop: nhận dự thảo báo cáo của cơ quan Anh/Chị dạng Word",
      },
      bieudo: {
        description: "Biểu đồ tiến độ",
        usage: "/bieudo [CƠ_QUAN]: nhận biểu đồ tiến độ (ảnh PNG)",
        contactUsage: "/bieudo: nhận biểu đồ tiến độ của cơ quan Anh/Chị (ảnh PNG)",
      },
      tailieu: {
        description: "Tệp đính kèm báo cáo của một cơ quan",
        usage: "/tailieu CƠ_QUAN: nhận tệp đính kèm báo cáo đã nộp của cơ quan",
      },
      ngonngu: { description: "Đổi ngôn ngữ (vi, en)", usage: "/ngonngu vi|en: đổi ngôn ngữ" },
      lienket: {
        description: "Dùng cùng tài khoản trên nền tảng khác",
        usage: "/lienket: lấy mã để dùng cùng tài khoản trên nền tảng khác",
      },
      huy: { description: "Hủy thao tác đang dở", usage: "/huy: hủy thao tác đang dở" },
      trogiup: { description: "Danh sách lệnh", usage: "/trogiup: danh sách lệnh" },
    } satisfies Record<CommandName, CommandText>,

    help: {
      header: (role: string) => `Các lệnh của Anh/Chị (${role}):`,
      oneLine: (example: string) => `Báo cáo nhanh bằng một dòng: ${example}`,
    },

    duties: {
      planHeader: (code: string, title: string) => `📋 Kế hoạch ${code}: ${title}`,
      footerPlans: (example: string) =>
        `Báo cáo: gõ /baocao, hoặc một dòng, có thể ghi mã kế hoạch trước, như: ${example}\nKhi xong, gõ /nopbaocao để nộp báo cáo của cơ quan.`,
      header: (agency: string, deadline: LocalDate, daysLeft: string, submitted: boolean) =>
        `Nhiệm vụ của ${agency} (báo cáo trước ngày ${date(deadline)}, ${daysLeft})` +
        (submitted ? "\nCơ quan đã nộp báo cáo." : "\nCơ quan chưa nộp báo cáo."),
      line: (icon: string, code: string, title: string, status: string, percent: number, updated: string | null) =>
        // Without an update the status already says "Chưa báo cáo": no 0% and no second "chưa báo cáo".
        `${icon} ${code}: ${title}\n   ${status}${updated ? ` ${percent}% · cập nhật ${updated}` : ""}`,
      footer: (example: string) =>
        `Báo cáo: gõ /baocao, hoặc một dòng như: ${example}\nKhi xong, gõ /nopbaocao để nộp báo cáo của cơ quan.`,
      none: "Cơ quan chưa có nhiệm vụ nào trong kế hoạch hiện hành.",
    },

    report: {
      whichPlan: (ref: string) =>
        `Nhiệm vụ ${q(ref)} có trong nhiều kế hoạch của cơ quan. Anh/Chị báo cáo cho kế hoạch nào? (Lần sau có thể ghi mã kế hoạch trước, ví dụ: BHYT26 ${q(ref)} xong.)`,
      pickDuty: (example: string) => `Chọn nhiệm vụ cần báo cáo (hoặc gõ mã, ví dụ ${example}). Gõ /huy để hủy.`,
      dutyChoice: (code: string, title: string, icon: string) => `${icon} ${code} ${title}`,
      pickStatus: (code: string, title: string) => `${code}: ${title}\nChọn trạng thái:`,
      askPercent: "Nhập tỷ lệ hoàn thành, là một số từ 1 đến 99 (ví dụ 60). Gõ /huy để hủy.",
      badPercent: "Tỷ lệ phải là một số từ 1 đến 99, ví dụ 60. Nhập lại hoặc gõ /huy để hủy.",
      askNote: "Ghi chú thêm (kết quả, số liệu...), hoặc chọn Bỏ qua:",
      askDifficulty: "Mô tả ngắn vướng mắc, kiến nghị (sẽ được chuyển ngay tới Sở Nội vụ):",
      skipNote: "Bỏ qua",
      badDuty: (example: string) => `Không tìm thấy nhiệm vụ đó. Chọn trong danh sách hoặc gõ mã, ví dụ ${example}.`,
      badStatus: "Vui lòng chọn một trạng thái trong danh sách, hoặc gõ: xong, đang làm, vướng, chưa.",
      saved: (code: string, title: string, status: string, percent: number, note: string | null, at: string) =>
        `Đã ghi nhận báo cáo:\n${code}: ${title}\nTrạng thái: ${status} (${percent}%)\n` +
        (note ? `Ghi chú: ${note}\n` : "") +
        `Lúc: ${at}`,
      escalated: "Vướng mắc đã được chuyển tới Sở Nội vụ.",
      errors: {
        "report.malformed": (example) =>
          `Chưa đọc được báo cáo. Viết theo mẫu: mã nhiệm vụ, tỷ lệ %, trạng thái, rồi dấu ":" và ghi chú. Ví dụ:\n${example}`,
        "report.percent_range": (example, { value }) =>
          `Tỷ lệ ${Math.abs(value) <= 1000 ? `${pct(value)} ` : "đã gõ "}không hợp lệ: tỷ lệ phải là số nguyên từ 0% đến 100%. Ví dụ:\n${example}`,
        "report.note_too_long": (_example, { length }) =>
          `Ghi chú quá dài (${num(length)} ký tự, tối đa 2.000). Vui lòng rút gọn hoặc gửi văn bản kèm theo khi nộp báo cáo.`,
        "report.conflict": (example) =>
          `Tỷ lệ và trạng thái mâu thuẫn (hoàn thành là 100%, chưa thực hiện là 0%). Ví dụ:\n${example}`,
        "report.two_reports": (example, { refs }) =>
          `Tin nhắn có báo cáo của ${refs.length} nhiệm vụ (${refs.map(q).join(", ")}); vui lòng gửi mỗi nhiệm vụ một dòng. Ví dụ:\n${example}`,
        "duty.unknown": (example, { ref, candidates }) =>
          `Không có nhiệm vụ "${q(ref)}" trong các nhiệm vụ của cơ quan của Anh/Chị` +
          (candidates?.length ? `; nhiệm vụ của cơ quan: ${candidates.join(", ")}.` : ". Gõ /nhiemvu để xem mã.") +
          ` Ví dụ:\n${example}`,
        "duty.ambiguous": (example, { ref, candidates }) =>
          `"${q(ref)}" có nhiều nhiệm vụ (${(candidates ?? []).join(", ")}); vui lòng ghi rõ mã. Ví dụ:\n${example}`,
        "duty.other_agency": (example, { ref }) =>
          `Nhiệm vụ ${q(ref)} không thuộc cơ quan của Anh/Chị nên không thể báo cáo. Ví dụ báo cáo nhiệm vụ của cơ quan của Anh/Chị:\n${example}`,
      } satisfies ReportErrorTexts,
      example: (code: string) => `${code} 60% đang thực hiện: đã hoàn thành rà soát 80 doanh nghiệp`,
    },

    figures: {
      usage: (codes: string) => `Cách dùng: /chitieu MÃ SỐ_NGƯỜI, ví dụ /chitieu II.1 1.120.000 (mã: ${codes})`,
      saved: (
        code: string,
        name: string,
        participants: number,
        rate: number,
        target: number,
        targetRate: number,
        at: string,
      ) =>
        `Đã ghi nhận số liệu ${code} (${name}): ${num(participants)} người, đạt ${pct(rate)} (chỉ tiêu ${pct(targetRate)}, ${num(target)} người). Lúc: ${at}`,
    },

    submit: {
      preview: (agency: string, lines: string, doc: string | null, notDone: number, attachment: string | null) =>
        `Báo cáo của ${agency}${doc ? ` (${doc})` : ""} sẽ gồm tình hình các nhiệm vụ như sau:\n${lines}\n` +
        (notDone > 0 ? `Lưu ý: còn ${notDone} nhiệm vụ chưa hoàn thành.\n` : "") +
        (attachment
          ? `Tệp kèm: "${attachment}" (gửi tệp khác nếu cần thay). `
          : "Anh/Chị có thể gửi kèm tệp văn bản báo cáo trước khi xác nhận. ") +
        "Xác nhận gửi báo cáo?",
      confirm: "Gửi báo cáo",
      changed:
        "Tình hình nhiệm vụ vừa được cập nhật (có thể bởi một đầu mối khác của cơ quan). Vui lòng xem lại trước khi gửi.",
      cancel: "Hủy",
      docLabel: (number: string | null, d: LocalDate | null) =>
        [number ? `số ${number}` : null, d ? `ngày ${date(d)}` : null].filter(Boolean).join(", "),
      dateInFuture: (d: LocalDate) =>
        `Ngày văn bản ${date(d)} ở sau hôm nay: chỉ nộp văn bản đã ký, đề ngày hôm nay hoặc trước đó.`,
      dateTooEarly: (d: LocalDate, year: number) =>
        `Ngày văn bản ${date(d)} trước năm của kế hoạch (${year}). Vui lòng kiểm tra lại năm.`,
      twoDates: "Chỉ ghi một ngày văn bản.",
      extraWord: (word: string) =>
        `Không hiểu "${q(word)}": số văn bản viết liền, không có khoảng trắng (ví dụ 123/BC-SNV).`,
      numberTooLong: (max: number) => `Số văn bản quá dài (tối đa ${max} ký tự).`,
      badArgs: "Cách dùng: /nopbaocao [SỐ_VĂN_BẢN] [dd/mm/yyyy], ví dụ /nopbaocao 123/BC-SNV 10/12/2026",
      attachmentNoted: (name: string) => `Đã nhận tệp "${name}"; tệp sẽ được gửi kèm báo cáo khi Anh/Chị xác nhận.`,
      fileNotReceived: (f: { name: string; problem: AttachmentProblem; size: number | null; max: number }) =>
        f.problem === "too_large"
          ? `Tệp quá lớn (tối đa ${mb(f.max)}) nên chưa được nhận: "${f.name}"${f.size ? ` (${mb(f.size)})` : ""}. ` +
            `Vui lòng quét lại với độ phân giải thấp hơn hoặc nén tệp PDF cho nhỏ hơn ${mb(f.max)}, rồi gửi lại.`
          : `Tệp "${f.name}" chưa được nhận: hệ thống không tải được tệp về. Vui lòng thử gửi lại.`,
      withoutFileHint:
        'Báo cáo hiện chưa kèm tệp nào. Anh/Chị có thể gửi lại tệp, hoặc chọn "Nộp không kèm tệp" để nộp báo cáo không có tệp.',
      submitWithoutFile: "Nộp không kèm tệp",
      stillAttached: (name: string) => `Báo cáo vẫn kèm tệp "${name}" đã nhận trước đó.`,
      fileOutsideSubmission: (name: string) =>
        `Tệp "${name}" chưa được lưu: Nhắc Việc chỉ nhận tệp gửi kèm báo cáo. Để nộp tệp cùng báo cáo, ` +
        "gửi lại tệp với chú thích /nopbaocao (có thể thêm số và ngày văn bản), hoặc gõ /nopbaocao rồi gửi tệp.",
      fileNotForCoordinators: (name: string) =>
        `Tệp "${name}" chưa được lưu: Nhắc Việc chỉ lưu tệp do đầu mối của cơ quan gửi kèm báo cáo.`,
      done: (agency: string, at: string, onTime: boolean, doc: string | null, attachment: string | null) =>
        `Đã nộp báo cáo của ${agency} lúc ${at}${doc ? ` (${doc})` : ""}${attachment ? `, kèm tệp "${attachment}"` : ""}.\n` +
        (onTime ? "Báo cáo nộp đúng hạn. Cảm ơn Anh/Chị!" : "Báo cáo nộp sau hạn. Cảm ơn Anh/Chị đã gửi báo cáo.") +
        "\nNếu cần bổ sung, gõ /nopbaocao lần nữa: báo cáo mới sẽ thay báo cáo này.",
      received: (
        agency: string,
        person: string,
        at: string,
        onTime: boolean,
        done: number,
        total: number,
        doc: string | null,
        attachment: string | null,
      ) =>
        `📥 ${agency} đã nộp báo cáo lúc ${at} (${onTime ? "đúng hạn" : "sau hạn"}), người nộp: ${person}.\n` +
        `Hoàn thành ${done}/${total} nhiệm vụ.` +
        (doc ? ` Văn bản ${doc}.` : "") +
        (attachment ? ` Tệp kèm: ${attachment}.` : ""),
      reopenUsage: "Cách dùng: /molai CƠ_QUAN NHẬN_XÉT, ví dụ /molai IV.2 Đề nghị bổ sung số liệu doanh nghiệp mới",
      reopened: (agency: string) => `Đã mở lại báo cáo của ${agency} và gửi nhận xét tới đầu mối.`,
      reopenedNotice: (agency: string, comment: string) =>
        `Sở Nội vụ đã mở lại báo cáo của ${agency} với nhận xét:\n"${comment}"\nVui lòng cập nhật và gõ /nopbaocao để nộp lại.`,
      badDate: "Ngày văn bản không hợp lệ. Viết theo dạng dd/mm/yyyy, ví dụ 10/12/2026.",
    },

    difficulty: {
      usage: "Cách dùng: /vuongmac NỘI_DUNG, ví dụ /vuongmac Thiếu dữ liệu doanh nghiệp mới thành lập từ Sở Tài chính",
      recorded: (id: number) =>
        `Đã ghi nhận vướng mắc #${id} và chuyển tới Sở Nội vụ. Anh/Chị sẽ nhận được phản hồi tại đây.`,
      raised: (id: number, agency: string, duty: string | null, text: string, person: string) =>
        `⚠️ Vướng mắc #${id} từ ${agency}${duty ? `, nhiệm vụ ${duty}` : ""} (${person}):\n${text}\nTrả lời: /giaiquyet ${id} NỘI_DUNG`,
      listHeader: (n: number) => `${n} vướng mắc chưa giải quyết:`,
      listLine: (id: number, agency: string, duty: string | null, text: string, at: string) =>
        `#${id} · ${agency}${duty ? ` · ${duty}` : ""} · ${at}\n   ${text}`,
      none: "Không có vướng mắc nào đang chờ giải quyết.",
      resolveUsage:
        "Cách dùng: /giaiquyet SỐ NỘI_DUNG_TRẢ_LỜI, ví dụ /giaiquyet 3 Đã đề nghị Sở Tài chính cung cấp dữ liệu",
      resolved: (id: number, agency: string) => `Đã đóng vướng mắc #${id} và gửi trả lời tới ${agency}.`,
      resolvedNotice: (id: number, text: string, resolution: string) =>
        `Sở Nội vụ đã trả lời vướng mắc #${id} ("${text}"):\n${resolution}`,
      tooLong: "Nội dung quá dài (tối đa 2.000 ký tự). Vui lòng rút gọn.",
    },

    coord: {
      overviewHeader: (title: string, deadline: LocalDate, daysLeft: string) =>
        `Kế hoạch ${title}\nHạn báo cáo: trước ngày ${date(deadline)} (${daysLeft})`,
      submittedCount: (submitted: number, total: number) => `${submitted}/${total} cơ quan đã nộp báo cáo`,
      agencyRow: (
        icon: string,
        code: string,
        name: string,
        submitted: boolean,
        done: number,
        total: number,
        extra: string,
      ) =>
        `${icon} ${code} ${name}: ${submitted ? "đã nộp" : "chưa nộp"} · hoàn thành ${done}/${total} nhiệm vụ${extra}`,
      groupExtra: (submitted: number, total: number) => ` · ${submitted}/${total} đơn vị đã nộp báo cáo`,
      dutyTotals: (counts: string, units: number, entries: number) =>
        `Nhiệm vụ theo trạng thái, đếm riêng từng cơ quan, đơn vị (${units} cơ quan, đơn vị; ${entries} lượt nhiệm vụ): ${counts}`,
      indicatorsHeader: "Chỉ tiêu:",
      indicatorLine: (
        code: string,
        name: string,
        latest: number | null,
        rate: number | null,
        target: number,
        targetRate: number,
      ) =>
        `${code} ${name}: ${latest === null ? "chưa có số liệu" : `${num(latest)} người (${pct(rate ?? 0)})`} / chỉ tiêu ${num(target)} người (${pct(targetRate)})`,
      agencyHeader: (
        name: string,
        code: string,
        submitted: boolean,
        at: string | null,
        onTime: boolean | null,
        contacts: number,
      ) =>
        `${code} ${name}\n${submitted ? `Đã nộp báo cáo lúc ${at}${onTime === false ? " (sau hạn)" : ""}` : "Chưa nộp báo cáo"} · ${contacts} đầu mối`,
      groupHeader: (name: string, code: string, submitted: number, total: number) =>
        `${code} ${name}\n${submitted}/${total} đã nộp báo cáo`,
      groupDutyLine: (code: string, title: string, counts: string) => `${code}: ${title}\n   ${counts}`,
      membersNotSubmitted: (n: number, noContact: number) =>
        `${n} đơn vị chưa nộp báo cáo` + (noContact > 0 ? `; ${noContact} đơn vị chưa có đầu mối.` : "."),
      overdueHeader: (n: number, deadline: LocalDate, daysLeft: string) =>
        `${n} cơ quan chưa nộp báo cáo (hạn trước ngày ${date(deadline)}, ${daysLeft}):`,
      overdueLine: (code: string, name: string, open: string) => `• ${code} ${name}: ${open}`,
      overdueGroupLine: (code: string, name: string, missing: number, total: number, noContact: number) =>
        `• ${code} ${name}: ${missing}/${total} đơn vị chưa nộp báo cáo` +
        (noContact > 0 ? `; ${noContact} đơn vị chưa có đầu mối` : ""),
      membersButton: (code: string, n: number) => `Danh sách ${code} (${n})`,
      nudgeMembersButton: (n: number) => `Nhắc ${n} đơn vị có đầu mối`,
      membersHeader: (code: string, name: string, missing: number, noContact: number) =>
        `${code} ${name}: ${missing} đơn vị chưa nộp báo cáo` +
        (noContact > 0 ? `, ${noContact} đơn vị chưa có đầu mối` : "") +
        ":",
      memberLine: (code: string, name: string, contacts: number) =>
        `– ${code} ${name}: ${contacts > 0 ? `${contacts} đầu mối` : "chưa có đầu mối"}`,
      membersNone: (code: string) => `${code}: tất cả đơn vị đã nộp báo cáo.`,
      pageFooter: (page: number, pages: number) => `Trang ${page}/${pages}`,
      pagePrevious: "‹ Trang trước",
      pageNext: "Trang sau ›",
      openDuties: (codes: string) => (codes ? `còn ${codes}` : "đã xong các nhiệm vụ, chưa nộp báo cáo"),
      noneOverdue: "Tất cả cơ quan đã nộp báo cáo.",
      remindSent: (agencies: number, people: number) => `Đã gửi nhắc tới ${people} đầu mối của ${agencies} cơ quan.`,
      remindQueued: (agencies: number, people: number, at: string) =>
        `Đã xếp lời nhắc cho ${people} đầu mối của ${agencies} cơ quan; vì đang ngoài giờ, tin sẽ được gửi lúc ${at}.`,
      remindAllSubmitted: (agency: string) => `${q(agency)}: đã nộp báo cáo, không cần nhắc.`,
      remindNoContacts: (agency: string | null, units: number) =>
        agency === null
          ? `${units} cơ quan, đơn vị chưa nộp báo cáo nhưng chưa có đầu mối nào để nhắc. Tạo mã mời bằng /moi.`
          : units > 1
            ? `${q(agency)}: ${units} đơn vị chưa nộp báo cáo nhưng chưa có đầu mối nào để nhắc. Tạo mã mời bằng /moi.`
            : `${q(agency)}: chưa nộp báo cáo nhưng chưa có đầu mối nào để nhắc. Tạo mã mời: /moi ${q(agency)}`,
      remindAllConfirm: (agencies: number, people: number) =>
        `Gửi nhắc tới ${people} đầu mối của ${agencies} cơ quan chưa nộp báo cáo?`,
      remindConfirm: "Gửi nhắc",
      remindUsage: "Cách dùng: /nhac CƠ_QUAN hoặc /nhac all, ví dụ /nhac IV.2",
      inviteCreated: (code: string, agency: string, expires: string, link: string | null) =>
        `Mã mời cho ${agency}: ${code}\nHết hạn: ${expires}. Người nhận gõ /start ${code}` +
        (link ? ` hoặc mở ${link}` : "") +
        ". Mã chỉ dùng một lần.",
      inviteGroup: (group: string, n: number) =>
        `${group} là nhóm ${n} đơn vị; mỗi đơn vị cần mã riêng. Ví dụ /moi ${group}-MÃ_ĐƠN_VỊ, hoặc dùng lệnh quản trị "invite create --group" để tạo cả loạt.`,
      inviteUsage: "Cách dùng: /moi CƠ_QUAN, ví dụ /moi IV.2 hoặc /moi IV.9-25195",
      coordinatorLabel: "điều phối viên",
      revokeUsage: "Cách dùng: /thuhoi MÃ_MỜI",
      revoked: "Đã thu hồi mã mời.",
      contactsHeader: (agency: string, n: number) => `${agency}: ${n} đầu mối`,
      contactLine: (id: number, name: string, active: boolean, since: string) =>
        `#${id} ${name} · từ ${since}${active ? "" : " · đã ngừng"}`,
      noContacts: (agency: string) => `${agency} chưa có đầu mối. Tạo mã mời: /moi`,
      contactsUsage: "Cách dùng: /daumoi CƠ_QUAN, ví dụ /daumoi IV.4",
      cannotDeactivateAdmin: (id: number) => `#${id} là quản trị viên hệ thống, không thể khóa bằng /khoa.`,
      onlyAdminDeactivatesCoordinator: (id: number) =>
        `#${id} là điều phối viên; chỉ quản trị viên mới khóa được điều phối viên.`,
      deactivateUsage: "Cách dùng: /khoa SỐ_ĐẦU_MỐI (xem số bằng /daumoi CƠ_QUAN)",
      deactivated: (name: string) => `Đã ngừng đầu mối ${name}. Các báo cáo trước đây vẫn được giữ.`,
      closeAdminOnly: "Chỉ quản trị viên mới đóng được kế hoạch.",
      closeConfirm: (code: string, title: string) =>
        `Đóng kế hoạch ${code} (${title})? Kế hoạch sẽ không còn nhắc việc, tổng hợp và trong các lệnh xem; lịch sử báo cáo vẫn được giữ và vẫn xuất được.`,
      closeYes: "Đóng kế hoạch",
      planClosed: (code: string, already: boolean) =>
        already ? `Kế hoạch ${code} đã đóng từ trước.` : `Đã đóng kế hoạch ${code}. Lịch sử báo cáo vẫn được giữ.`,
      following: (followed: string | null, all: string) =>
        followed === null
          ? `Anh/Chị đang theo dõi mọi kế hoạch (${all}). Chỉ theo dõi một số: /theodoi MÃ_KẾ_HOẠCH…`
          : `Anh/Chị đang theo dõi: ${followed || "không kế hoạch nào đang áp dụng"}. Theo dõi lại tất cả: /theodoi tatca`,
      followingAll: "Từ nay Anh/Chị theo dõi mọi kế hoạch đang áp dụng.",
      followingNow: (codes: string) =>
        `Từ nay tổng quan và bản tổng hợp hằng ngày của Anh/Chị chỉ gồm: ${codes}. Theo dõi lại tất cả: /theodoi tatca`,
      planCodeLine: (code: string, active: boolean) => `Mã kế hoạch: ${code}${active ? "" : " (đã đóng)"}`,
      plansHeader: (n: number) => `Đang áp dụng ${n} kế hoạch (hạn gần nhất trước):`,
      planListLine: (
        code: string,
        title: string,
        deadline: LocalDate,
        daysLeft: string,
        submitted: number,
        agencies: number,
        membersSubmitted = 0,
        members = 0,
      ) =>
        `• ${code}: ${title}\n   trước ngày ${date(deadline)} (${daysLeft}); đã nộp báo cáo ${submitted}/${agencies} cơ quan` +
        (members ? `, ${num(membersSubmitted)}/${num(members)} đơn vị thành viên` : ""),
      plansFooter: (code: string) => `Xem một kế hoạch: /kehoach MÃ, ví dụ /kehoach ${code}.`,
      plansTotals: (submitted: number, agencies: number, membersSubmitted: number, members: number) =>
        `Đã nộp báo cáo: ${num(submitted)}/${num(agencies)} lượt cơ quan` +
        (members ? `; ${num(membersSubmitted)}/${num(members)} lượt đơn vị thành viên` : ""),
      behindTotals: (behind: number, agencies: number, membersBehind: number, members: number) =>
        `Chưa nộp báo cáo: ${num(behind)}/${num(agencies)} lượt cơ quan` +
        (members ? `; ${num(membersBehind)}/${num(members)} lượt đơn vị thành viên` : ""),
      allPlansSubmitted: (n: number) => `Cả ${n} kế hoạch Anh/Chị theo dõi đều đã đủ báo cáo.`,
      combinedHeader: (command: "tongquan" | "quahan", n: number) =>
        command === "quahan"
          ? `Cơ quan chưa nộp báo cáo, theo ${n} kế hoạch Anh/Chị theo dõi (hạn gần nhất trước):`
          : `Tình hình ${n} kế hoạch Anh/Chị theo dõi (hạn gần nhất trước):`,
      planBehindLine: (
        code: string,
        title: string,
        deadline: LocalDate,
        daysLeft: string,
        behind: number,
        agencies: number,
        membersBehind = 0,
        members = 0,
      ) =>
        `• ${code}: ${title}\n   trước ngày ${date(deadline)} (${daysLeft}); chưa nộp báo cáo ${behind}/${agencies} cơ quan` +
        (members ? `, ${num(membersBehind)}/${num(members)} đơn vị thành viên` : ""),
      combinedFooter: (command: "tongquan" | "quahan", code: string) =>
        `Xem chi tiết một kế hoạch: /${command} MÃ_KẾ_HOẠCH, ví dụ /${command} ${code}.`,
      planSummary: (
        title: string,
        province: string,
        doc: string | null,
        deadline: LocalDate,
        daysLeft: string,
        agencies: number,
        duties: number,
      ) =>
        `Kế hoạch ${title}${doc ? ` (số ${doc})` : ""}\nTỉnh/thành: ${province}\n${agencies} cơ quan, ${duties} nhiệm vụ; báo cáo kết quả trước ngày ${date(deadline)} (${daysLeft}).`,
      targetLine: (code: string, name: string, rate: number, target: number, eligible: number) =>
        `${code} ${name}: ${pct(rate)} (${num(target)}/${num(eligible)} người)`,
    },

    reminder: {
      mergedHeader: (plans: number) =>
        `🔔 Nhắc việc: cơ quan của Anh/Chị có ${plans} kế hoạch cần báo cáo (hạn gần nhất trước):`,
      mergedLine: (code: string, deadline: LocalDate, daysLeft: string, open: readonly string[]) =>
        `• ${code}, trước ngày ${date(deadline)} (${daysLeft}): ${open.length ? `còn ${open.join(", ")}` : "chỉ còn nộp báo cáo"}`,
      mergedMore: (plans: number) => `… và ${plans} kế hoạch khác: gõ /nhiemvu để xem tất cả.`,
      mergedFooter: (example: string) =>
        `Báo cáo nhanh (mã kế hoạch trước): ${example}\nHoặc gõ /baocao để báo cáo từng bước, /nopbaocao để nộp báo cáo.`,
      planSection: (code: string) => `📋 Kế hoạch ${code}`,
      text: (
        agency: string,
        requested: boolean,
        deadline: LocalDate,
        daysLeft: string,
        lines: string,
        example: string,
        recentReport: boolean,
      ) =>
        `🔔 Nhắc việc: kế hoạch ${requested ? "đề nghị" : "yêu cầu"} ${agency} báo cáo kết quả thực hiện trước ngày ${date(deadline)} (${daysLeft}). Cơ quan chưa nộp báo cáo.\n` +
        (recentReport
          ? "Cảm ơn Anh/Chị đã cập nhật tiến độ; cơ quan vẫn cần nộp báo cáo chính thức (/nopbaocao).\n"
          : "") +
        (lines ? `Nhiệm vụ chưa hoàn thành:\n${lines}\n` : "Các nhiệm vụ đã hoàn thành; chỉ còn nộp báo cáo.\n") +
        `Báo cáo nhanh: ${example}\nHoặc gõ /baocao để báo cáo từng bước, /nopbaocao để nộp báo cáo.`,
      line: (code: string, title: string, status: string) => `• ${code} ${title} (${status})`,
      reportNow: "Báo cáo ngay",
      submitNow: "Nộp báo cáo",
    },

    digest: {
      missingButton: (n: number) => `Danh sách chưa nộp (${n})`,
      mergedMissingButton: "Chưa nộp, theo kế hoạch",
      mergedHeader: (day: LocalDate, plans: number) =>
        `📊 Tình hình báo cáo ngày ${date(day)} của ${plans} kế hoạch Anh/Chị theo dõi (hạn gần nhất trước):`,
      mergedLine: (
        code: string,
        deadline: LocalDate,
        daysLeft: string,
        counts: { submitted: number; agencies: number; membersSubmitted: number; members: number },
        difficulties: number,
      ) =>
        `• ${code}, trước ngày ${date(deadline)} (${daysLeft}): đã nộp ${counts.submitted}/${counts.agencies} cơ quan` +
        (counts.members ? `, ${num(counts.membersSubmitted)}/${num(counts.members)} đơn vị thành viên` : "") +
        (difficulties ? `; ${difficulties} vướng mắc mới` : ""),
      mergedMore: (plans: number) => `… và ${plans} kế hoạch khác: gõ /tongquan để xem tất cả.`,
      moreDifficulties: (n: number) => `… và ${n} vướng mắc khác: gõ /dsvuongmac để xem.`,
      sectionCut: "…",
      calendarMissing: (years: string) =>
        `⚠️ Chưa có lịch nghỉ năm ${years}: ngày nhắc việc có thể rơi vào ngày nghỉ. Nạp lịch bằng lệnh: calendar import TỆP.csv`,
      header: (day: LocalDate, deadline: LocalDate, daysLeft: string) =>
        `📊 Tình hình báo cáo ngày ${date(day)} (hạn trước ngày ${date(deadline)}, ${daysLeft})`,
      agencies: (submitted: number, total: number) => `Cơ quan, đơn vị cấp tỉnh: ${submitted}/${total} đã nộp báo cáo`,
      group: (code: string, name: string, submitted: number, total: number) =>
        `${code} ${name}: ${submitted}/${total} đã nộp báo cáo`,
      missingHeader: (n: number) => `Chưa nộp báo cáo (${n} cơ quan):`,
      noneMissing: "Tất cả đã nộp báo cáo.",
      difficultiesHeader: (n: number) => `Vướng mắc mới (${n}):`,
      difficultyLine: (id: number, agency: string, duty: string | null, text: string) =>
        `• #${id} ${agency}${duty ? ` (${duty})` : ""}: ${text}`,
      noDifficulties: "Không có vướng mắc mới.",
      resolvedHeader: (n: number) => `Vướng mắc đã giải quyết kể từ bản tin trước (${n}):`,
      wrongCodes: (codes: number, accounts: number, limit: number) =>
        `⚠️ ${num(codes)} mã mời sai từ ${num(accounts)} tài khoản kể từ bản tin trước, đã chạm giới hạn ${num(limit)} mã sai trong một giờ: có thể có người dò mã. Khi đó mã sai bị từ chối, mã đúng vẫn dùng được. Mã mời chưa dùng có thể thu hồi bằng /thuhoi MÃ.`,
      heldHeader: (n: number) => `Tin nhắn đang chờ vì nền tảng của người nhận chưa chạy (${n}):`,
      heldLine: (person: string, agency: string | null, count: number, platforms: string) =>
        `• ${person}${agency ? ` (${agency})` : ""}: ${count} tin, chờ ${platforms}`,
      failuresHeader: (n: number) => `Tin nhắn không gửi được (${n}):`,
      failureLine: (person: string, agency: string | null, what: string, due: string, outcome: string) =>
        `• ${person}${agency ? ` (${agency})` : ""}, ${what} lúc ${due}: ${outcome}`,
    },

    pause: {
      usage: "Cách dùng: /tamdung CƠ_QUAN dd/mm[/yyyy], ví dụ /tamdung IV.2 10/12",
      badDate: "Ngày không hợp lệ hoặc đã qua. Viết theo dạng dd/mm hoặc dd/mm/yyyy, ví dụ 10/12.",
      paused: (agency: string, until: LocalDate) => `Đã tạm dừng nhắc việc cho ${agency} đến hết ngày ${date(until)}.`,
      pastDeadline: (agency: string, until: LocalDate, deadline: LocalDate) =>
        `Ngày ${date(until)} đã qua hạn nộp báo cáo (trước ngày ${date(deadline)}). Nếu tạm dừng, ${agency} sẽ không nhận nhắc việc nào đến hết ngày ${date(until)}, kể cả nhắc quá hạn khi chưa nộp báo cáo. Vẫn tạm dừng?`,
      confirm: "Tạm dừng",
      resumeUsage: "Cách dùng: /tieptuc CƠ_QUAN, ví dụ /tieptuc IV.2",
      resumed: (agency: string) => `Đã bật lại nhắc việc cho ${agency}.`,
      notPaused: (agency: string) => `${agency} không bị tạm dừng nhắc việc.`,
      pausedByGroup: (agency: string, group: string, until: LocalDate) =>
        `${agency} đang tạm dừng nhắc việc theo nhóm ${group} đến hết ngày ${date(until)}. Để bật lại, gõ /tieptuc ${group}.`,
    },
  },
};

export type Messages = typeof vi;
