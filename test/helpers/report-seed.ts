import type { Db } from "../../src/db/db.ts";
import { parseIsoInstant } from "../../src/lib/time.ts";

// The bundled plan as it looks near the deadline when everyone has reported: every agency and each
// of the 95 communes with a report on every duty, most with a note as long as people write them,
// most reports submitted, the indicator figures in, a few difficulties. The page-count test prints
// this; the README's sample pictures are drawn from it.

const at = (iso: string) => parseIsoInstant(iso)!;

const AGENCY_NOTES = [
  "Đã ban hành văn bản hướng dẫn, tổ chức 02 hội nghị quán triệt cho 320 cán bộ, công chức; phối hợp Bảo hiểm xã hội tỉnh rà soát 1.250 doanh nghiệp, phát hiện 86 đơn vị chậm đóng và đã đôn đốc 61 đơn vị nộp đủ.",
  "Đã chia sẻ dữ liệu 2.314 doanh nghiệp thành lập mới trong năm với Bảo hiểm xã hội tỉnh; đang cập nhật định kỳ hằng tháng.",
  "Đã kiểm tra 45 doanh nghiệp, ban hành 12 quyết định xử phạt vi phạm hành chính với tổng số tiền 1.115.590.000 đồng; kiến nghị xử lý 3 trường hợp cố tình trốn đóng.",
  "Đang phối hợp xây dựng phương án; dự kiến trình trong tháng 12/2026.",
];
const COMMUNE_NOTES = [
  "Đã xây dựng kế hoạch, tổ chức tuyên truyền tại các ấp, khu phố; vận động được 35 người tham gia bảo hiểm xã hội tự nguyện.",
  "Đã kiện toàn Ban Chỉ đạo; đang rà soát số lao động tại các hộ kinh doanh trên địa bàn.",
  null,
];
const STATUSES = ["done", "done", "in_progress", "done", "blocked", "in_progress", "not_started", "done"] as const;

export async function seedEveryoneReporting(db: Db): Promise<void> {
  const agencies = await db.agency.findMany({ orderBy: [{ sortOrder: "asc" }, { code: "asc" }] });
  const duties = await db.duty.findMany({ orderBy: { sortOrder: "asc" } });
  const reporting = agencies.filter((a) => !agencies.some((m) => m.parentId === a.id));
  const reports = reporting.flatMap((agency, i) =>
    duties
      .filter((d) => d.agencyId === (agency.parentId ?? agency.id))
      .map((duty, j) => {
        const status = STATUSES[(i + j) % STATUSES.length]!;
        const notes = agency.parentId ? COMMUNE_NOTES : AGENCY_NOTES;
        return {
          agencyId: agency.id,
          dutyId: duty.id,
          status,
          percent: status === "done" ? 100 : status === "not_started" ? 0 : 30 + ((i * 7 + j * 11) % 60),
          note: notes[(i + j) % notes.length] ?? null,
          createdAt: at(
            `2026-11-${String(20 + ((i + j) % 10)).padStart(2, "0")}T${String(8 + (j % 9)).padStart(2, "0")}:15`,
          ),
        };
      }),
  );
  await db.dutyReport.createMany({ data: reports });
  // All but every seventh agency submitted, each with its document number and date.
  await db.submission.createMany({
    data: reporting
      .filter((_, i) => i % 7 !== 3)
      .map((agency, i) => ({
        agencyId: agency.id,
        submittedAt: at(`2026-12-01T${String(8 + (i % 9)).padStart(2, "0")}:30`),
        onTime: true,
        documentNumber: `${100 + i}/BC-${agency.parentId ? "UBND" : "SNV"}`,
        documentDate: "2026-12-01",
      })),
  });
  const indicators = await db.indicator.findMany({ orderBy: { sortOrder: "asc" } });
  // The first target met, the third not yet; the second has no figure.
  const figures = [1_120_000, null, 1_020_000];
  await db.indicatorFigure.createMany({
    data: indicators.flatMap((indicator, i) =>
      figures[i] ? [{ indicatorId: indicator.id, participants: figures[i], createdAt: at("2026-12-01T16:00") }] : [],
    ),
  });
  const byCode = new Map(agencies.map((a) => [a.code, a]));
  const dutyOf = (code: string) => duties.find((d) => d.code === code)!.id;
  const communes = reporting.filter((a) => a.parentId !== null);
  await db.difficulty.createMany({
    data: [
      {
        agencyId: byCode.get("IV.4")!.id,
        dutyId: dutyOf("IV.4.d"),
        text: "Thiếu dữ liệu về lao động tại các hộ kinh doanh cá thể để đối chiếu.",
        createdAt: at("2026-11-25T10:00"),
        resolvedAt: at("2026-11-28T15:00"),
        resolution: "Thuế Đồng Nai cung cấp danh sách hộ kinh doanh theo quý.",
      },
      ...communes.slice(0, 5).map((commune, i) => ({
        agencyId: commune.id,
        dutyId: dutyOf("IV.9.d"),
        text: "Người dân chưa mặn mà tham gia bảo hiểm xã hội tự nguyện do thu nhập thấp, không ổn định.",
        createdAt: at(`2026-11-2${i}T09:00`),
      })),
    ],
  });
}
