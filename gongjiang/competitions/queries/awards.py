"""Reads of what a final result earns: who awards (and signs) a certificate."""

from __future__ import annotations

from gongjiang.orgs.models import Org

from ..models import Certificate


def certificate_issuer(certificate: Certificate) -> Org:
    """Who awards a certificate, and signs it: the union that ran the certificate's round (济南市总工会 for the
    Jinan round of a city qualifier, an enterprise union for its 基层赛), not the competition's organiser, which
    the certificate names with the competition's title. Needs `entry__round__organiser` selected."""
    return certificate.entry.round.organiser
