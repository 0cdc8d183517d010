"""Every care verb once, on the factory province: what tests/test_timelines.py adds to its world so that each care
audit verb is shown in Chinese words."""

from __future__ import annotations

from typing import Any

from gongjiang.care import services

from .factories import Care, care


def everything(sd: Any) -> Care:
    """Set the thresholds; file 李强's household, return it, file it again, check and approve it; view and export it;
    review it; change it; ask for its exit and approve that."""
    cw = care(sd)
    returned = services.return_request(actor=sd.enterprise_cadre, request=cw.file(), reason="缺少收入证明")
    again = services.file_household(actor=sd.enterprise_cadre, person=sd.worker_person, union=sd.steel,
                                    housing="rented", causes=["illness"], members=cw.household(),
                                    file=returned.file)
    cw.through(again)
    f = again.file
    services.open_file(actor=sd.enterprise_cadre, file=f, clear_ids=True)
    services.export_files(actor=sd.jinan_viewer, org=sd.steel, file_ids=[f.pk])
    services.review_file(actor=sd.enterprise_cadre, file=f)
    cw.through(services.request_change(actor=sd.enterprise_cadre, file=f, housing="owned",
                                       causes=["illness", "schooling"], members=cw.household()))
    cw.through(services.request_exit(actor=sd.enterprise_cadre, file=f, reason="子女毕业就业，家庭收入高于标准"))
    return cw
