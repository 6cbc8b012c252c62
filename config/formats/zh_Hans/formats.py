"""Chinese formats: Django's, except that form inputs render dates in ISO 8601 (2026-12-05).

An `<input type="date">` only accepts YYYY-MM-DD and silently empties any other value, and
Django renders a date input with the first of DATE_INPUT_FORMATS. Django's Chinese list starts
with 2026/12/05, so every date field came up empty in the Chinese UI and a form saved untouched
cleared it. Display formats (2026年12月5日) are Django's; the other formats stay accepted.
"""

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # '2016-09-05'
    "%Y/%m/%d",  # '2016/09/05'
    "%Y年%m月%d日",  # '2016年09月05日' ('%Y年%n月%j日' in Django's list is not a strptime format)
]

DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",  # '2016-09-05 20:45:29'
    "%Y-%m-%dT%H:%M:%S",  # '2016-09-05T20:45:29' (what <input type="datetime-local"> sends)
    "%Y-%m-%dT%H:%M",  # '2016-09-05T20:45'
    "%Y-%m-%d %H:%M",  # '2016-09-05 20:45'
    "%Y-%m-%d %H:%M:%S.%f",  # '2016-09-05 20:45:29.000200'
    "%Y/%m/%d %H:%M",  # '2016/09/05 20:45'
    "%Y/%m/%d %H:%M:%S",  # '2016/09/05 20:45:29'
    "%Y/%m/%d %H:%M:%S.%f",  # '2016/09/05 20:45:29.000200'
]
