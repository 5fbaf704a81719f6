"""The scoring engine: a questionnaire and validated answers in, an explained result out."""

from scoring.engine import ENGINE_VERSION, Engine, score
from scoring.result import Result, result_from_json, result_to_json

__all__ = ["ENGINE_VERSION", "Engine", "Result", "result_from_json", "result_to_json", "score"]
