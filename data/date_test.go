package data_test

import (
	"testing"
	"time"

	"dangan/data"
)

func TestParseDate(t *testing.T) {
	want := time.Date(2026, 5, 1, 0, 0, 0, 0, time.Local)
	for _, in := range []string{"2026-05-01", "2026/5/1", "2026.5.1", "20260501", "2026年5月1日", " ２０２６－０５－０１ ", "2026 年 5 月 1 日"} {
		got, err := data.ParseDate("日期", in)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseDate(%q) = %v, %v", in, got, err)
		}
	}
	for in, msg := range map[string]string{
		"2026-02-30": "不是真实的日期",
		"20261301":   "不是真实的日期",
		"明天":         "不是日期",
		"":           "不是日期",
	} {
		_, err := data.ParseDate("日期", in)
		wantErr(t, err, data.EINVALID, msg)
	}
}
