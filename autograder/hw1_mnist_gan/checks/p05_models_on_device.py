from autograder.toolkit.device_probe import expect_on_meta
from autograder.toolkit.expect import expect


def test_p05_models_on_device(answer):
    """Models on the device"""
    expect(answer["pair"] is True, "make_models(z_dim, device) should return (G, D).")
    (g_type, d_type), (is_g, is_d) = answer["types"], answer["classes"]
    expect(is_g is True, f"The first model should be a Generator, found {g_type}.")
    expect(is_d is True, f"The second model should be a Discriminator, found {d_type}.")
    for name, training in zip(("G", "D"), answer["training"]):
        expect(training is True, f"make_models returned {name} in eval mode: training needs train mode (BatchNorm and "
               "Dropout behave differently in eval mode). Return the models as created, without .eval().")
    for name in ("G", "D"):
        expect_on_meta(answer[f"{name}_meta"], f"make_models(z_dim, device)'s {name}",
                       "Move each model with .to(device).")
