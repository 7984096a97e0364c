from tests.conftest import Invoke


def test_list_shows_both_shipped_roadmaps(invoke: Invoke) -> None:
    result = invoke("list")
    assert result.exit_code == 0, result.output
    assert "long" in result.stdout
    assert "short" in result.stdout
