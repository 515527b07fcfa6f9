"""The school's procedure in the database: which one each school year follows, the school's edited
copies of the ready ones, and the event dates the archive cannot know by itself."""

from __future__ import annotations

from typing import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive_service.adapters.orm import ProcedureChoice, ProcedureEventDate, SchoolProcedure


class ProcedureRepository:
    def __init__(self, session: Session):
        self.session = session

    def choice(self, academic_year: str) -> ProcedureChoice | None:
        return self.session.get(ProcedureChoice, academic_year)

    def choices(self) -> Sequence[ProcedureChoice]:
        return self.session.scalars(select(ProcedureChoice).order_by(ProcedureChoice.academic_year)).all()

    def copy(self, key: str) -> SchoolProcedure | None:
        return self.session.get(SchoolProcedure, key)

    def copies(self) -> Sequence[SchoolProcedure]:
        return self.session.scalars(select(SchoolProcedure).order_by(SchoolProcedure.created_at)).all()

    def event_dates(self, academic_year: str) -> dict[str, ProcedureEventDate]:
        rows = self.session.scalars(select(ProcedureEventDate).where(ProcedureEventDate.academic_year == academic_year))
        return {r.event: r for r in rows}

    def add(self, row: ProcedureChoice | SchoolProcedure | ProcedureEventDate) -> None:
        self.session.add(row)
        self.session.flush()
