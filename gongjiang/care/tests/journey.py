"""Every care verb once, on the factory province: what tests/test_timelines.py adds to its world so that each care
audit verb is shown in Chinese words."""

from __future__ import annotations

from typing import Any

from gongjiang.care import services

from .factories import Care, care, cycle, second_admin


def aid(cw: Care, f: Any) -> None:
    """A 送温暖 cycle: budgets, the build, a removal and an addition, confirmation and approval, the household's
    bank account, a bank batch exported and returned failed, a cash payment, the close; a job offer matched and its
    outcome."""
    from django.utils import timezone

    from gongjiang.care.models import Entitlement, JobMatch

    sd = cw.sd
    c = cycle(cw)
    services.set_budget(actor=sd.province_admin, cycle=c, org=sd.jinan, amount="5000")
    services.build_cycle(actor=sd.province_admin, cycle=c)
    e = Entitlement.objects.get(cycle=c, file=f)
    services.remove_entitlement(actor=sd.county_cadre, entitlement=e, org=sd.lixia, reason="核实中")
    services.add_entitlement(actor=sd.county_cadre, cycle=c, file=f, org=sd.lixia, reason="核实无误")
    services.confirm_list(actor=sd.province_admin, cycle=c)
    services.approve_cycle(actor=second_admin(cw), cycle=c)
    services.set_payee_account(actor=sd.enterprise_cadre, file=f, holder="李强", bank_name="工商银行",
                               number="6222020200112233445")
    batch = services.make_bank_batch(actor=sd.jinan_cadre, cycle=c, org=sd.jinan)
    services.export_batch(actor=sd.jinan_cadre, batch=batch)
    services.reconcile_batch(actor=sd.jinan_cadre, batch=batch, rows=[
        {"reference": p.reference, "result": "失败", "note": "账户冻结"} for p in batch.payments.all()])
    services.record_payment(actor=sd.enterprise_cadre, cycle=c, file=f, method="cash", signed_by="李强",
                            paid_on=timezone.localdate())
    services.close_cycle(actor=sd.province_admin, cycle=c)
    offer = services.create_job_offer(actor=sd.county_cadre, org=sd.lixia, kind="job", employer="物业公司",
                                      title="维修工", places=2)
    services.match_offer(actor=sd.county_cadre, offer=offer)
    services.record_outcome(actor=sd.enterprise_cadre, match=JobMatch.objects.get(offer=offer), outcome="employed")


def everything(sd: Any) -> Care:
    """Set the thresholds; file 李强's household, return it, file it again, check and approve it; view and export it;
    review it; change it; run an aid cycle and job help over it; ask for its exit and approve that."""
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
                                       causes=["illness", "schooling", "unemployment"], members=cw.household()))
    aid(cw, f)
    cw.through(services.request_exit(actor=sd.enterprise_cadre, file=f, reason="子女毕业就业，家庭收入高于标准"))
    return cw
