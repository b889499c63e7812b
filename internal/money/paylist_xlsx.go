package money

import (
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// ChineseDate writes a date as offices do: 2026-12-04 → 2026年12月4日.
func ChineseDate(date string) string {
	y, rest, ok1 := strings.Cut(date, "-")
	m, d, ok2 := strings.Cut(rest, "-")
	mi, err1 := strconv.Atoi(m)
	di, err2 := strconv.Atoi(d)
	if !ok1 || !ok2 || err1 != nil || err2 != nil {
		return date
	}
	return y + "年" + strconv.Itoa(mi) + "月" + strconv.Itoa(di) + "日"
}

// PayListHeaders are the columns of a payment list.
var PayListHeaders = []string{"序号", "乡镇（街道）", "村（社区）", "法律顾问", "所属机构", "服务期限", "计补月数", "拨付金额（元）"}

// WritePayList streams a payment list as a workbook: a title, the payer and
// period, one row per village with the amount as a number of yuan (two
// decimals), and a total row whose figure is the sum of the rows' fen
// (written as a value, with the capitals beside it, so what LibreOffice or
// Excel shows needs no formula to be recomputed). Rows go through
// excelize's stream writer, so a province's list never sits in memory as
// cells.
func WritePayList(w io.Writer, pl *PayList, today string) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := "拨付清单"
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return err
	}
	money, err := f.NewStyle(&excelize.Style{NumFmt: 4}) // #,##0.00
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	boldMoney, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, NumFmt: 4})
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for i, wd := range []float64{6, 16, 20, 10, 26, 24, 10, 16} {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	st := pl.Settlement
	title := st.RegionName + periodTitle(st) + "村（社区）法律顾问补贴拨付清单"
	row := 1
	put := func(vals ...any) error {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		row++
		return sw.SetRow(cell, vals)
	}
	if err := put(excelize.Cell{Value: title, StyleID: bold}); err != nil {
		return err
	}
	if err := put("拨付单位：" + pl.PayerName); err != nil {
		return err
	}
	if err := put("结算期间：" + ChineseDate(st.PeriodStart) + "至" + ChineseDate(st.PeriodEnd) + "　制表日期：" + ChineseDate(today)); err != nil {
		return err
	}
	hdr := make([]any, len(PayListHeaders))
	for i, h := range PayListHeaders {
		hdr[i] = excelize.Cell{Value: h, StyleID: bold}
	}
	if err := put(hdr...); err != nil {
		return err
	}
	for i, r := range pl.Rows {
		if err := put(i+1, r.TownName, r.VillageName, r.AdvisorName, r.ProviderName, r.TermStart+"至"+r.TermEnd, r.Months,
			excelize.Cell{Value: yuanNumber(r.Fen), StyleID: money}); err != nil {
			return err
		}
	}
	if err := put(excelize.Cell{Value: "合计", StyleID: bold}, "", "", "", "", "", len(pl.Rows), excelize.Cell{Value: yuanNumber(pl.TotalFen), StyleID: boldMoney}); err != nil {
		return err
	}
	if err := put("合计金额（大写）：" + pl.Capitals); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

// yuanNumber is an amount of fen as a decimal number of yuan for a cell.
// The float is exact to the fen for any amount below 2^53 fen: it is made
// from the decimal text, never from arithmetic.
func yuanNumber(fen Fen) float64 {
	v, _ := strconv.ParseFloat(strings.ReplaceAll(FormatYuan(fen), ",", ""), 64)
	return v
}
